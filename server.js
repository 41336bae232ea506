// The production server (`npm start`): the Remix build serves itself with app/http-server.server.ts,
// which caps bodies, refuses cross-site writes and adds the security headers before Remix runs.
import * as build from './build/index.js';

build.entry.module.serve(build);
