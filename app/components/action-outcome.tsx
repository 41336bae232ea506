/** The outcome of a publish-like action: a status line, or an alert with its errors at their paths. */
export function ActionOutcome({ result, testId }: { result: { ok: boolean; message: string; errors: { path: string; message: string }[] }; testId: string }) {
  return (
    <div role={result.ok ? 'status' : 'alert'} className={result.ok ? 'notice' : 'bank-errors'} data-testid={testId}>
      <p>{result.message}</p>
      {result.errors.length ? (
        <ul>
          {result.errors.map((e, i) => (
            <li key={i}>
              <code>{e.path}</code> — {e.message}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
