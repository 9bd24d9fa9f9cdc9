import fs from 'node:fs/promises'
import path from 'node:path'

export interface ServerLock {
  release(): Promise<void>
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** One `tandem start` per data directory: a pid file, taken atomically; a stale one is replaced. */
export async function takeServerLock(dataDir: string, url: string): Promise<ServerLock> {
  await fs.mkdir(dataDir, { recursive: true })
  const file = path.join(dataDir, 'tandem.pid')
  const content = JSON.stringify({ pid: process.pid, url })
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await fs.writeFile(file, content, { flag: 'wx' })
      return { release: () => fs.rm(file, { force: true }) }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      const held = await readLock(file)
      if (held && held.pid !== process.pid && isAlive(held.pid)) {
        throw new Error(
          `Tandem is already running on ${dataDir} (pid ${held.pid}, ${held.url}). Stop it first, or set TANDEM_DATA_DIR to another folder.`,
        )
      }
      await fs.rm(file, { force: true })
    }
  }
  throw new Error(`Could not take the lock ${file}`)
}

async function readLock(file: string): Promise<{ pid: number; url: string } | undefined> {
  try {
    const parsed: unknown = JSON.parse(await fs.readFile(file, 'utf8'))
    if (typeof parsed === 'object' && parsed && 'pid' in parsed && typeof parsed.pid === 'number') {
      return { pid: parsed.pid, url: 'url' in parsed ? String(parsed.url) : '' }
    }
  } catch {
    // unreadable: treat as stale
  }
  return undefined
}
