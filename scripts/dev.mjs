// `npm run dev`: the server (restarted on change by tsx watch) and Vite's dev server with reload.
import { spawn } from 'node:child_process'
import path from 'node:path'

const root = path.resolve(import.meta.dirname, '..')
const bin = (name) => path.join(root, 'node_modules/.bin', name)
const children = [
  spawn(
    bin('tsx'),
    ['watch', '--clear-screen=false', '--include', 'src/server', 'src/cli/run.ts', 'start'],
    {
      cwd: root,
      stdio: 'inherit',
    },
  ),
  spawn(bin('vite'), [], { cwd: root, stdio: 'inherit' }),
]
console.log('Web app with reload: http://localhost:5173 (API on http://localhost:3000)')
const stop = () => {
  for (const child of children) child.kill('SIGTERM')
}
process.on('SIGINT', stop)
process.on('SIGTERM', stop)
for (const child of children) child.on('exit', () => stop())
