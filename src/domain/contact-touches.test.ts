import { describe, expect, it } from 'vitest'
import { type ContactTouchState, summarizeTouches, type TouchFact } from './contact-touches.ts'

const at = (minute: number) => new Date(Date.UTC(2026, 10, 27, 9, minute))
const known: ContactTouchState = {
  identifiedAt: at(30),
  hasFirstUtm: false,
  firstUtmAt: null,
  hasLastUtm: false,
  lastUtmAt: null,
  leadCreation: null,
}
const touch = (id: string, minute: number, extra: Partial<TouchFact> = {}): TouchFact => ({
  id,
  occurredAt: at(minute),
  type: 'page_view',
  utm: null,
  isBot: false,
  ...extra,
})

describe('summarizeTouches', () => {
  it('keeps the UTM values of the earliest and latest touches that carried any', () => {
    const change = summarizeTouches(known, [
      touch('a', 5),
      touch('b', 10, { utm: { utm_source: 'google' } }),
      touch('c', 20, { utm: { utm_source: 'linkedin' } }),
      touch('d', 25),
    ])
    expect(change.firstUtm).toEqual({ utm: { utm_source: 'google' }, at: at(10) })
    expect(change.lastUtm).toEqual({ utm: { utm_source: 'linkedin' }, at: at(20) })
  })

  it('moves first touch earlier and last touch later only, whatever order touches arrive in', () => {
    const state = {
      ...known,
      hasFirstUtm: true,
      firstUtmAt: at(10),
      hasLastUtm: true,
      lastUtmAt: at(20),
    }
    const late = summarizeTouches(state, [touch('x', 15, { utm: { utm_source: 'bing' } })])
    expect(late).toEqual({})
    const early = summarizeTouches(state, [touch('y', 2, { utm: { utm_source: 'bing' } })])
    expect(early.firstUtm?.at).toEqual(at(2))
    expect(early.lastUtm).toBeUndefined()
  })

  it('leaves imported first-touch values (no time) alone', () => {
    const state = { ...known, hasFirstUtm: true, firstUtmAt: null }
    const change = summarizeTouches(state, [touch('a', 1, { utm: { utm_source: 'google' } })])
    expect(change.firstUtm).toBeUndefined()
    expect(change.lastUtm?.at).toEqual(at(1))
  })

  it('makes the first touch at or after the identify the lead-creation touch', () => {
    const change = summarizeTouches(known, [
      touch('before', 10),
      touch('after', 31),
      touch('later', 40),
    ])
    expect(change.leadCreation).toEqual({ id: 'after', at: at(31), type: 'page_view' })
  })

  it('prefers the form submitted around the identify, even a little before it', () => {
    const change = summarizeTouches(known, [
      touch('page', 30),
      touch('form', 29, { type: 'form_submit' }),
    ])
    expect(change.leadCreation?.id).toBe('form')
    const withPage = { ...known, leadCreation: { at: at(30), type: 'page_view' } }
    expect(
      summarizeTouches(withPage, [touch('form', 29, { type: 'form_submit' })]).leadCreation?.id,
    ).toBe('form')
  })

  it('does not count a form long before the identify, nor replace a form with a later touch', () => {
    expect(
      summarizeTouches(known, [touch('old', 1, { type: 'form_submit' })]).leadCreation,
    ).toBeUndefined()
    const withForm = { ...known, leadCreation: { at: at(30), type: 'form_submit' } }
    expect(summarizeTouches(withForm, [touch('p', 31), touch('p2', 30)])).toEqual({})
  })

  it('ignores bot and scanner touches for every milestone', () => {
    const change = summarizeTouches(known, [
      touch('bot', 35, { isBot: true, utm: { utm_source: 'email' }, type: 'email_click' }),
    ])
    expect(change).toEqual({})
  })
})
