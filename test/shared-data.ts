import path from 'node:path'

/**
 * A public reference data set (../shared/data/README.md). They live beside the checkout, never in the
 * repository; TANDEM_SHARED_DATA points elsewhere (.ci/run sets it when it finds them).
 */
export function sharedDataFile(name: string): string {
  const dir =
    process.env.TANDEM_SHARED_DATA ?? path.resolve(import.meta.dirname, '../../shared/data')
  return path.join(dir, name)
}
