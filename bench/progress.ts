import cliProgress from 'cli-progress'

export interface Progress {
  /** Advances by one step and shows what just finished. */
  tick(status: string): void
  /** Shows a status without advancing (e.g. "starting server"). */
  update(status: string): void
  /** Changes the number of steps, once it is known. */
  setTotal(total: number): void
  stop(): void
}

/** A bar on a terminal; one line per step when stderr is a file or a pipe. */
export function createProgress(title: string, total: number): Progress {
  if (!process.stderr.isTTY) {
    let done = 0
    let steps = total
    return {
      tick: (status) => {
        done += 1
        process.stderr.write(`[${title}] ${done}/${steps} ${status}\n`)
      },
      update: (status) => process.stderr.write(`[${title}] ${status}\n`),
      setTotal: (value) => {
        steps = value
      },
      stop: () => {},
    }
  }
  const bar = new cliProgress.SingleBar(
    {
      format: `${title.padEnd(8)} [{bar}] {value}/{total} {status}`,
      stream: process.stderr,
      hideCursor: true,
      clearOnComplete: false,
    },
    cliProgress.Presets.shades_classic,
  )
  bar.start(total, 0, { status: '' })
  return {
    tick: (status) => bar.increment(1, { status }),
    update: (status) => bar.update({ status }),
    setTotal: (value) => bar.setTotal(value),
    stop: () => bar.stop(),
  }
}
