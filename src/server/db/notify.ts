import pg from 'pg'

/**
 * One dedicated connection that LISTENs on channels and calls back on NOTIFY; it reconnects when
 * the connection drops, so cache purges keep arriving.
 */
export class NotifyListener {
  private client: pg.Client | undefined
  private closed = false
  private retry: NodeJS.Timeout | undefined

  constructor(
    private readonly url: string,
    private readonly handlers: Record<string, (payload: string) => void>,
    private readonly onError: (error: unknown) => void,
  ) {}

  async start(): Promise<void> {
    const client = new pg.Client({ connectionString: this.url })
    client.on('notification', (message) => {
      this.handlers[message.channel]?.(message.payload ?? '')
    })
    client.on('error', (error) => {
      this.onError(error)
      this.reconnect()
    })
    await client.connect()
    for (const channel of Object.keys(this.handlers)) {
      await client.query(`listen ${client.escapeIdentifier(channel)}`)
    }
    this.client = client
  }

  private reconnect() {
    if (this.closed || this.retry) return
    this.client = undefined
    this.retry = setTimeout(() => {
      this.retry = undefined
      this.start().catch((error: unknown) => {
        this.onError(error)
        this.reconnect()
      })
    }, 1000)
  }

  async stop(): Promise<void> {
    this.closed = true
    if (this.retry) clearTimeout(this.retry)
    await this.client?.end().catch(() => {})
  }
}
