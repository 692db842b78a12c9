// Whether a process id names a live process on this machine: how a reader tells that the writer of a session stream,
// or of an export's temporary file, has died (`kill -9`, a crash) without waiting for a timeout.

/** Signal 0 checks without signalling: ESRCH means no such process; EPERM means it exists under another user. */
export function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
