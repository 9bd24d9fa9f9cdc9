// Builds the web app before `npm start` when it is missing or older than its sources.
import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import path from 'node:path'

const root = path.resolve(import.meta.dirname, '..')
const built = path.join(root, 'dist/web/index.html')

function newest(dir) {
  let latest = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name)
    latest = Math.max(latest, entry.isDirectory() ? newest(full) : statSync(full).mtimeMs)
  }
  return latest
}

const sources = Math.max(
  newest(path.join(root, 'src/web')),
  statSync(path.join(root, 'vite.config.ts')).mtimeMs,
  statSync(path.join(root, 'package-lock.json')).mtimeMs,
)
if (!existsSync(built) || statSync(built).mtimeMs < sources) {
  console.log('Building the web app (once; again only when its sources change)…')
  execFileSync(
    process.execPath,
    [path.join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'],
    {
      cwd: root,
      stdio: 'inherit',
    },
  )
}
