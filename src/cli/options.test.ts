import { describe, expect, it } from 'vitest'
import { separatorOption } from './options.ts'

describe('separatorOption', () => {
  it('takes one character, or \\t and tab for a tab', () => {
    const parse = separatorOption()
    expect(parse(';')).toBe(';')
    expect(parse('\\t')).toBe('\t')
    expect(parse('tab')).toBe('\t')
    expect(() => parse('::')).toThrow('one character')
  })

  it('refuses quotes, line breaks and the reserved characters, naming them', () => {
    const paths = separatorOption(['>'])
    expect(() => paths('>')).toThrow('not a quote, a line break or ">"')
    expect(() => paths('"')).toThrow('not a quote, a line break or ">"')
    expect(separatorOption()('>')).toBe('>')
    expect(() => separatorOption()('\n')).toThrow('not a quote or a line break')
  })
})
