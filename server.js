// The production server (`npm start`): the Remix build serves itself with app/http-server.server.ts,
// which caps bodies, refuses cross-site writes and adds the security headers before Remix runs.
// Importing the build opens and migrates the database; a failure there (a bad DATABASE_URL, an
// unreachable server, a database newer than the code) ends the start with one line, before listening.
let build;
try {
  build = await import('./build/index.js');
} catch (err) {
  process.stderr.write(`stride: cannot start: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}\n`);
  process.exit(1);
}

build.entry.module.serve(build);
