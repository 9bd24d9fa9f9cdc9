import { randomBytes } from 'node:crypto'

/** A multipart/form-data body for app.inject: text fields and an optional file part. */
export function multipart(
  fields: Record<string, string>,
  file?: { name: string; content: string | Buffer; field?: string },
): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----tandem${randomBytes(8).toString('hex')}`
  const pieces: Buffer[] = []
  for (const [name, value] of Object.entries(fields)) {
    pieces.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
      ),
    )
  }
  if (file) {
    pieces.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${file.field ?? 'file'}"; filename="${file.name}"\r\nContent-Type: text/csv\r\n\r\n`,
      ),
      Buffer.from(file.content),
      Buffer.from('\r\n'),
    )
  }
  pieces.push(Buffer.from(`--${boundary}--\r\n`))
  return {
    payload: Buffer.concat(pieces),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  }
}
