import { describe, expect, it } from 'vitest'
import { type TouchEvent, touchTypeOf } from './touch-types.ts'
import type { TouchpointType } from './touchpoints.ts'

describe('touchTypeOf', () => {
  const cases: [TouchEvent, TouchpointType][] = [
    [{ type: 'page' }, 'page_view'],
    [{ type: 'page', event: 'Form Submitted' }, 'page_view'],
    [{ type: 'screen' }, 'page_view'],
    [{ type: 'track', event: 'Form Submitted' }, 'form_submit'],
    [{ type: 'track', event: 'Form Submit' }, 'form_submit'],
    [{ type: 'track', event: 'Email Opened' }, 'email_open'],
    [{ type: 'track', event: 'Email Link Clicked' }, 'email_click'],
    [{ type: 'track', event: 'Email Clicked' }, 'email_click'],
    [{ type: 'track', event: 'Ad Clicked' }, 'ad_click'],
    [{ type: 'track', event: 'Webinar Attended' }, 'webinar'],
    [{ type: 'track', event: 'Event Attended' }, 'event'],
    [{ type: 'track', event: 'Content Downloaded' }, 'content_download'],
    [{ type: 'track', event: 'Asset Downloaded' }, 'content_download'],
    [{ type: 'track', event: 'Content Viewed' }, 'content_view'],
    [{ type: 'track', event: 'Chat Started' }, 'chat'],
    [{ type: 'track', event: 'Meeting Booked' }, 'meeting'],
    [{ type: 'track', event: 'form submitted' }, 'form_submit'],
    [{ type: 'track', event: 'FORM SUBMITTED' }, 'form_submit'],
    [{ type: 'track', event: '  Form   Submitted ' }, 'form_submit'],
    [{ type: 'track', event: 'form_submitted' }, 'form_submit'],
    [{ type: 'track', event: 'form-submitted' }, 'form_submit'],
    [{ type: 'track', event: 'FormSubmitted' }, 'form_submit'],
    [{ type: 'track', event: 'Order Completed' }, 'custom'],
    [{ type: 'track', event: 'Form' }, 'custom'],
    [{ type: 'track', event: '' }, 'custom'],
    [{ type: 'track', event: '   ' }, 'custom'],
    [{ type: 'track', event: null }, 'custom'],
    [{ type: 'track' }, 'custom'],
  ]
  for (const [event, type] of cases) {
    it(`maps ${event.type} ${JSON.stringify(event.event)} to ${type}`, () =>
      expect(touchTypeOf(event)).toBe(type))
  }

  it('adds a workspace map to the defaults', () => {
    const map: Record<string, TouchpointType> = { 'Trial Started': 'form_submit' }
    expect(touchTypeOf({ type: 'track', event: 'trial_started' }, map)).toBe('form_submit')
    expect(touchTypeOf({ type: 'track', event: 'Form Submitted' }, map)).toBe('form_submit')
    expect(touchTypeOf({ type: 'track', event: 'Trial Started' })).toBe('custom')
  })

  it('lets a workspace map override or retire a default', () => {
    const map: Record<string, TouchpointType> = {
      'signed up': 'custom',
      'Chat Started': 'call',
    }
    expect(touchTypeOf({ type: 'track', event: 'Signed Up' }, map)).toBe('custom')
    expect(touchTypeOf({ type: 'track', event: 'Chat Started' }, map)).toBe('call')
    expect(touchTypeOf({ type: 'track', event: 'Signed Up' })).toBe('form_submit')
  })

  it('does not map page views through the event map', () => {
    expect(touchTypeOf({ type: 'screen', event: 'Home' }, { Home: 'chat' })).toBe('page_view')
  })
})
