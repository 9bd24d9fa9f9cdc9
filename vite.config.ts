import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'

export default defineConfig({
  root: 'src/web',
  plugins: [react()],
  build: { outDir: '../../dist/web', emptyOutDir: true },
  server: {
    port: 5173,
    // Only the server's paths: the app's own modules live under /api/ too (src/web/api/*.ts).
    proxy: {
      '^/api/(v1|auth|health|openapi|docs)': 'http://localhost:3000',
      '^/((v1|f)/|t\\.js)': 'http://localhost:3000',
    },
  },
})
