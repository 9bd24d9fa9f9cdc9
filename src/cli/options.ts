import { InvalidArgumentError } from 'commander'

/**
 * A `--sep` option's value: one character, or `\t` / `tab` for a tab; never a quote or a line break,
 * nor any of `reserved` (e.g. the `>` between the steps of an attribution path).
 */
export function separatorOption(reserved: readonly string[] = []) {
  const refused = ['"', '\n', '\r', ...reserved]
  const named = ['a quote', 'a line break', ...reserved.map((c) => `"${c}"`)]
  const what = `not ${named.slice(0, -1).join(', ')} or ${named.at(-1)}`
  return (value: string): string => {
    if (value === '\\t' || value === 'tab') return '\t'
    if (value.length !== 1) throw new InvalidArgumentError('one character (or \\t for tab)')
    if (refused.includes(value)) throw new InvalidArgumentError(what)
    return value
  }
}
