/**
 * What the long-running commands (`keeper`, `watch`) share: timestamped log lines, and Ctrl-C
 * (or SIGTERM) asking them to stop at their next safe point (`control.stop`), a second one
 * stopping the process at once (exit 130). The handlers are removed when `fn` returns.
 */
export async function untilStopped(safePoint: string, fn: (control: { stop: boolean }, log: (line: string) => void) => Promise<void>): Promise<void> {
  const control = { stop: false };
  const onSignal = () => {
    if (control.stop) process.exit(130);
    control.stop = true;
    console.log(`stopping after ${safePoint} (Ctrl-C again to stop now)`);
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  try {
    await fn(control, (line) => console.log(`${new Date().toISOString()} ${line}`));
  } finally {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  }
}
