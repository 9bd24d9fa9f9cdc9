import { createHash } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import { build } from 'esbuild'
import type { SnippetKeyProblem, SnippetSettings } from './service.ts'

/**
 * The tracking snippet served at GET /t.js: src/snippet/tandem.ts built once per process by esbuild
 * into a minified ES2019 IIFE, followed by the call that starts it with one workspace's settings.
 * Each answer is kept in memory with its gzipped form and ETag, by configuration.
 */

const entry = fileURLToPath(new URL('../../snippet/tandem.ts', import.meta.url))
/** The global name the built IIFE assigns, local to the wrapper function of each answer. */
const globalName = 'tandemSnippet'
const maxCached = 1000

export interface SnippetAnswer {
  body: Buffer
  gzipped: Buffer
  etag: string
}

let built: Promise<string> | undefined
const answers = new Map<string, SnippetAnswer>()

/** The minified snippet code (built on first use; a failed build is tried again next time). */
export function snippetCode(): Promise<string> {
  built ??= buildSnippet().catch((error: unknown) => {
    built = undefined
    throw error
  })
  return built
}

async function buildSnippet(): Promise<string> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    minify: true,
    format: 'iife',
    globalName,
    target: 'es2019',
    platform: 'browser',
    legalComments: 'none',
    charset: 'utf8',
    logLevel: 'silent',
  })
  const code = result.outputFiles[0]?.text
  if (!code) throw new Error('esbuild produced no snippet')
  return code
}

/** JSON that is also safe JavaScript anywhere (no `<` for an inlined copy, no U+2028/U+2029). */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(
    /[<\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  )
}

function answerOf(text: string): SnippetAnswer {
  const body = Buffer.from(text)
  const hash = createHash('sha256').update(body).digest('base64url').slice(0, 27)
  // Weak: the gzipped and the plain answer are the same script.
  return { body, gzipped: gzipSync(body, { level: 9 }), etag: `W/"${hash}"` }
}

/** The snippet started with these settings, with its gzipped form and ETag (cached). */
export async function snippetFor(settings: SnippetSettings): Promise<SnippetAnswer> {
  const code = await snippetCode()
  const config = scriptJson({
    writeKey: settings.writeKey,
    host: settings.host,
    consentRequired: settings.consentRequired,
    cookieDomain: settings.cookieDomain,
    captureForms: settings.captureForms,
  })
  let answer = answers.get(config)
  if (!answer) {
    // Inside a function, so the built IIFE's global name stays off the customer's page.
    answer = answerOf(`(function(){${code}${globalName}.start(${config})})();\n`)
    if (answers.size >= maxCached) answers.clear()
    answers.set(config, answer)
  }
  return answer
}

const problems: Record<SnippetKeyProblem, (key: string) => string> = {
  missing: () =>
    'Tandem: the tracking snippet needs your write key: <script async src=".../t.js?key=wk_..."></script>. Copy the snippet from Settings → Tracking.',
  malformed: (key) =>
    `Tandem: ${key ? `“${key.slice(0, 60)}”` : 'the key given'} is not a write key (a write key is wk_ and 32 letters, digits, - or _). Copy the snippet from Settings → Tracking.`,
  unusable: (key) =>
    `Tandem: the write key ${key} is unknown, revoked or expired, so nothing is tracked. Copy the snippet with an active key from Settings → Tracking.`,
}

/**
 * The script answered (401) for a key that cannot be used: why, and where to get a key. Browsers run
 * no script answered with an error status; the developer reads it in the Network tab or with curl.
 */
export function snippetProblem(problem: SnippetKeyProblem, key: string | undefined): SnippetAnswer {
  return answerOf(`console.error(${scriptJson(problems[problem](key ?? ''))});\n`)
}
