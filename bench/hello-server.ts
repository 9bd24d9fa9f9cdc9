import Fastify from 'fastify'

// The baseline of bench/http.ts: a bare Fastify hello-world, run in its own process like Tandem.
const app = Fastify()
app.get('/', async () => ({ hello: 'world' }))
const address = await app.listen({ port: 0, host: '127.0.0.1' })
process.stdout.write(`${JSON.stringify({ url: address })}\n`)

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    void app.close().finally(() => process.exit(0))
  })
}
