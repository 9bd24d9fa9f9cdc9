import { DateTime } from 'luxon'
import { describe, expect, it } from 'vitest'
import {
  addBusinessMinutes,
  type BusinessCalendar,
  BusinessCalendarInput,
  businessMinutesBetween,
  defaultCalendar,
  isOpen,
  nextOpening,
} from './business-hours.ts'

// Instants are written as local times with their offset, e.g. '2026-11-25T10:00+01:00', and
// results are shown the same way in the calendar's zone, so each row reads as a wall clock.
const at = (text: string) => new Date(text)
const local = (calendar: BusinessCalendar, date: Date) =>
  DateTime.fromJSDate(date, { zone: calendar.timeZone }).toISO({
    suppressSeconds: true,
    suppressMilliseconds: true,
  })

const everyDay = (start: string, end: string): BusinessCalendar['week'] => {
  const day = { start, end }
  return { 1: day, 2: day, 3: day, 4: day, 5: day, 6: day, 7: day }
}

// 2026-11-23 is a Monday; Paris is at +01:00 from 2026-10-25 to 2027-03-28.
const paris = defaultCalendar('Europe/Paris')
const parisHolidays: BusinessCalendar = {
  ...paris,
  // Easter Monday 2026, Christmas Day 2026 (a Friday).
  holidays: ['2026-04-06', '2026-12-25'],
}
// Night hours that include 02:00-03:00, the hour Paris loses on 2026-03-29 and repeats on 2026-10-25.
const parisNight: BusinessCalendar = {
  timeZone: 'Europe/Paris',
  week: everyDay('00:00', '06:00'),
  holidays: [],
}
const parisEarly: BusinessCalendar = { ...parisNight, week: everyDay('01:00', '05:00') }
const parisGapHour: BusinessCalendar = { ...parisNight, week: everyDay('02:00', '03:00') }
const parisRoundTheClock: BusinessCalendar = { ...parisNight, week: everyDay('00:00', '24:00') }
const newYork = defaultCalendar('America/New_York')
const newYorkNight: BusinessCalendar = {
  timeZone: 'America/New_York',
  week: everyDay('00:00', '06:00'),
  holidays: [],
}
// 2026-11-23 is Labour Thanksgiving Day in Japan.
const tokyo: BusinessCalendar = { ...defaultCalendar('Asia/Tokyo'), holidays: ['2026-11-23'] }
// Auckland is at +13:00 in November: Monday 09:00 there is Sunday 20:00 UTC.
const auckland = defaultCalendar('Pacific/Auckland')

describe('addBusinessMinutes', () => {
  const cases: {
    name: string
    calendar: BusinessCalendar
    from: string
    minutes: number
    due: string
  }[] = [
    {
      name: 'counts within a weekday',
      calendar: paris,
      from: '2026-11-25T10:00+01:00',
      minutes: 240,
      due: '2026-11-25T14:00+01:00',
    },
    {
      name: 'is due at closing time when the window ends exactly then',
      calendar: paris,
      from: '2026-11-25T13:00+01:00',
      minutes: 240,
      due: '2026-11-25T17:00+01:00',
    },
    {
      name: 'carries over closing time to the next morning',
      calendar: paris,
      from: '2026-11-25T15:00+01:00',
      minutes: 240,
      due: '2026-11-26T11:00+01:00',
    },
    {
      name: 'starts the clock at opening when created before it',
      calendar: paris,
      from: '2026-11-25T07:30+01:00',
      minutes: 240,
      due: '2026-11-25T13:00+01:00',
    },
    {
      name: 'starts the clock at the next opening when created after closing',
      calendar: paris,
      from: '2026-11-25T18:00+01:00',
      minutes: 240,
      due: '2026-11-26T13:00+01:00',
    },
    {
      name: 'starts the clock at the next opening when created at closing time',
      calendar: paris,
      from: '2026-11-25T17:00+01:00',
      minutes: 60,
      due: '2026-11-26T10:00+01:00',
    },
    {
      name: 'moves a Friday evening handoff to Monday',
      calendar: paris,
      from: '2026-11-27T18:00+01:00',
      minutes: 240,
      due: '2026-11-30T13:00+01:00',
    },
    {
      name: 'skips the weekend from Friday afternoon',
      calendar: paris,
      from: '2026-11-27T15:00+01:00',
      minutes: 240,
      due: '2026-11-30T11:00+01:00',
    },
    {
      name: 'moves a Saturday handoff to Monday',
      calendar: paris,
      from: '2026-11-28T12:00+01:00',
      minutes: 60,
      due: '2026-11-30T10:00+01:00',
    },
    {
      name: 'spans a 16-hour window over several days',
      calendar: paris,
      from: '2026-11-25T10:00+01:00',
      minutes: 16 * 60,
      due: '2026-11-27T10:00+01:00',
    },
    {
      name: 'spans a 16-hour window over a weekend',
      calendar: paris,
      from: '2026-11-26T14:00+01:00',
      minutes: 16 * 60,
      due: '2026-11-30T14:00+01:00',
    },
    {
      name: 'spans a full working week',
      calendar: paris,
      from: '2026-11-23T09:00+01:00',
      minutes: 5 * 8 * 60,
      due: '2026-11-27T17:00+01:00',
    },
    {
      name: 'returns the start itself for zero minutes inside hours',
      calendar: paris,
      from: '2026-11-25T10:00+01:00',
      minutes: 0,
      due: '2026-11-25T10:00+01:00',
    },
    {
      name: 'returns the next opening for zero minutes outside hours',
      calendar: paris,
      from: '2026-11-28T12:00+01:00',
      minutes: 0,
      due: '2026-11-30T09:00+01:00',
    },
    {
      name: 'skips a holiday',
      calendar: parisHolidays,
      from: '2026-12-24T15:00+01:00',
      minutes: 240,
      due: '2026-12-28T11:00+01:00',
    },
    {
      name: 'skips a holiday on the Monday after a weekend',
      calendar: parisHolidays,
      from: '2026-04-03T16:00+02:00',
      minutes: 240,
      due: '2026-04-07T12:00+02:00',
    },
    {
      name: 'starts the clock after a holiday when created on it',
      calendar: parisHolidays,
      from: '2026-04-06T10:00+02:00',
      minutes: 60,
      due: '2026-04-07T10:00+02:00',
    },
    {
      name: 'uses the new offset after the weekend of the spring change in Paris',
      calendar: paris,
      from: '2026-03-27T16:00+01:00',
      minutes: 120,
      due: '2026-03-30T10:00+02:00',
    },
    {
      name: 'counts real minutes across the Paris spring gap (01:30 + 1 hour = 03:30)',
      calendar: parisNight,
      from: '2026-03-29T01:30+01:00',
      minutes: 60,
      due: '2026-03-29T03:30+02:00',
    },
    {
      name: 'counts 5 hours on the Paris spring day, then carries over',
      calendar: parisNight,
      from: '2026-03-29T00:00+01:00',
      minutes: 6 * 60,
      due: '2026-03-30T01:00+02:00',
    },
    {
      name: 'counts the repeated hour of the Paris autumn change',
      calendar: parisNight,
      from: '2026-10-25T02:30+02:00',
      minutes: 60,
      due: '2026-10-25T02:30+01:00',
    },
    {
      name: 'counts 7 hours on the Paris autumn day',
      calendar: parisNight,
      from: '2026-10-25T00:00+02:00',
      minutes: 7 * 60,
      due: '2026-10-25T06:00+01:00',
    },
    {
      name: 'uses the new offset after the spring change in New York',
      calendar: newYork,
      from: '2026-03-06T16:00-05:00',
      minutes: 120,
      due: '2026-03-09T10:00-04:00',
    },
    {
      name: 'uses the new offset after the autumn change in New York',
      calendar: newYork,
      from: '2026-10-30T16:00-04:00',
      minutes: 120,
      due: '2026-11-02T10:00-05:00',
    },
    {
      name: 'counts real minutes across the New York spring gap',
      calendar: newYorkNight,
      from: '2026-03-08T01:30-05:00',
      minutes: 60,
      due: '2026-03-08T03:30-04:00',
    },
    {
      name: 'counts the repeated hour of the New York autumn change',
      calendar: newYorkNight,
      from: '2026-11-01T01:30-04:00',
      minutes: 60,
      due: '2026-11-01T01:30-05:00',
    },
    {
      name: 'reads Monday morning in Tokyo while it is still Sunday in UTC',
      calendar: defaultCalendar('Asia/Tokyo'),
      from: '2026-11-29T23:30Z',
      minutes: 60,
      due: '2026-11-30T10:00+09:00',
    },
    {
      name: 'reads a Tokyo holiday by its local date, not the UTC one',
      calendar: tokyo,
      from: '2026-11-22T23:30Z',
      minutes: 60,
      due: '2026-11-24T10:00+09:00',
    },
    {
      name: 'moves a Friday-in-UTC, Saturday-in-Auckland handoff to Monday',
      calendar: auckland,
      from: '2026-11-27T21:00Z',
      minutes: 60,
      due: '2026-11-30T10:00+13:00',
    },
    {
      name: 'skips the Auckland weekend from Friday afternoon',
      calendar: auckland,
      from: '2026-11-27T16:00+13:00',
      minutes: 120,
      due: '2026-11-30T10:00+13:00',
    },
    {
      name: 'runs round the clock with hours ending at 24:00',
      calendar: parisRoundTheClock,
      from: '2026-11-27T22:00+01:00',
      minutes: 4 * 60,
      due: '2026-11-28T02:00+01:00',
    },
    {
      name: 'counts 23 hours on the spring day of a round-the-clock calendar',
      calendar: parisRoundTheClock,
      from: '2026-03-29T00:00+01:00',
      minutes: 24 * 60,
      due: '2026-03-30T01:00+02:00',
    },
    {
      name: 'counts fractions of a minute',
      calendar: paris,
      from: '2026-11-25T16:59+01:00',
      minutes: 1.5,
      due: '2026-11-26T09:00:30+01:00',
    },
  ]
  for (const { name, calendar, from, minutes, due } of cases) {
    it(name, () =>
      expect(local(calendar, addBusinessMinutes(calendar, at(from), minutes))).toBe(due),
    )
  }

  it('refuses negative or non-finite minutes', () => {
    for (const minutes of [-1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => addBusinessMinutes(paris, at('2026-11-25T10:00+01:00'), minutes)).toThrow(
        /finite number ≥ 0/,
      )
    }
  })

  it('refuses an invalid date', () => {
    const invalid = new Date('nope')
    expect(() => addBusinessMinutes(paris, invalid, 60)).toThrow(/invalid date/)
    expect(() => businessMinutesBetween(paris, invalid, new Date())).toThrow(/invalid date/)
    expect(() => isOpen(paris, invalid)).toThrow(/invalid date/)
  })
})

describe('businessMinutesBetween', () => {
  const cases: {
    name: string
    calendar: BusinessCalendar
    from: string
    to: string
    minutes: number
  }[] = [
    {
      name: 'counts within a weekday',
      calendar: paris,
      from: '2026-11-25T10:00+01:00',
      to: '2026-11-25T14:00+01:00',
      minutes: 240,
    },
    {
      name: 'is 0 when to is before from',
      calendar: paris,
      from: '2026-11-25T14:00+01:00',
      to: '2026-11-25T10:00+01:00',
      minutes: 0,
    },
    {
      name: 'is 0 when to equals from',
      calendar: paris,
      from: '2026-11-25T14:00+01:00',
      to: '2026-11-25T14:00+01:00',
      minutes: 0,
    },
    {
      name: 'is 0 overnight',
      calendar: paris,
      from: '2026-11-25T18:00+01:00',
      to: '2026-11-26T08:00+01:00',
      minutes: 0,
    },
    {
      name: 'counts only opening hours of a long day',
      calendar: paris,
      from: '2026-11-25T07:00+01:00',
      to: '2026-11-25T20:00+01:00',
      minutes: 480,
    },
    {
      name: 'skips the weekend',
      calendar: paris,
      from: '2026-11-27T16:00+01:00',
      to: '2026-11-30T10:00+01:00',
      minutes: 120,
    },
    {
      name: 'counts 40 hours in a calendar week',
      calendar: paris,
      from: '2026-11-23T00:00+01:00',
      to: '2026-11-30T00:00+01:00',
      minutes: 2400,
    },
    {
      name: 'counts fractions of a minute',
      calendar: paris,
      from: '2026-11-25T10:00+01:00',
      to: '2026-11-25T10:00:30+01:00',
      minutes: 0.5,
    },
    {
      name: 'skips a holiday',
      calendar: parisHolidays,
      from: '2026-12-24T15:00+01:00',
      to: '2026-12-28T11:00+01:00',
      minutes: 240,
    },
    {
      name: 'skips a holiday on the Monday after a weekend',
      calendar: parisHolidays,
      from: '2026-04-03T16:00+02:00',
      to: '2026-04-07T12:00+02:00',
      minutes: 240,
    },
    {
      name: 'counts 6 night hours on the day before the Paris spring change',
      calendar: parisNight,
      from: '2026-03-28T00:00+01:00',
      to: '2026-03-29T00:00+01:00',
      minutes: 360,
    },
    {
      name: 'counts 5 night hours on the Paris spring day (00:00-06:00)',
      calendar: parisNight,
      from: '2026-03-29T00:00+01:00',
      to: '2026-03-29T12:00+02:00',
      minutes: 300,
    },
    {
      name: 'counts 3 hours on the Paris spring day (01:00-05:00)',
      calendar: parisEarly,
      from: '2026-03-29T00:00+01:00',
      to: '2026-03-29T12:00+02:00',
      minutes: 180,
    },
    {
      name: 'counts nothing on the Paris spring day when the hours are the lost hour',
      calendar: parisGapHour,
      from: '2026-03-29T00:00+01:00',
      to: '2026-03-29T12:00+02:00',
      minutes: 0,
    },
    {
      name: 'counts 7 night hours on the Paris autumn day (00:00-06:00)',
      calendar: parisNight,
      from: '2026-10-25T00:00+02:00',
      to: '2026-10-25T12:00+01:00',
      minutes: 420,
    },
    {
      name: 'counts 5 hours on the Paris autumn day (01:00-05:00)',
      calendar: parisEarly,
      from: '2026-10-25T00:00+02:00',
      to: '2026-10-25T12:00+01:00',
      minutes: 300,
    },
    {
      name: 'counts both occurrences of the repeated hour in Paris (02:00-03:00)',
      calendar: parisGapHour,
      from: '2026-10-25T00:00+02:00',
      to: '2026-10-25T12:00+01:00',
      minutes: 120,
    },
    {
      name: 'counts the real time across the Paris spring gap',
      calendar: parisNight,
      from: '2026-03-29T01:30+01:00',
      to: '2026-03-29T03:30+02:00',
      minutes: 60,
    },
    {
      name: 'counts three nights around the Paris spring change',
      calendar: parisNight,
      from: '2026-03-28T00:00+01:00',
      to: '2026-03-31T00:00+02:00',
      minutes: 360 + 300 + 360,
    },
    {
      name: 'counts three nights around the Paris autumn change',
      calendar: parisNight,
      from: '2026-10-24T00:00+02:00',
      to: '2026-10-27T00:00+01:00',
      minutes: 360 + 420 + 360,
    },
    {
      name: 'counts 23 hours on the spring day of a round-the-clock calendar',
      calendar: parisRoundTheClock,
      from: '2026-03-29T00:00+01:00',
      to: '2026-03-30T00:00+02:00',
      minutes: 23 * 60,
    },
    {
      name: 'counts 25 hours on the autumn day of a round-the-clock calendar',
      calendar: parisRoundTheClock,
      from: '2026-10-25T00:00+02:00',
      to: '2026-10-26T00:00+01:00',
      minutes: 25 * 60,
    },
    {
      name: 'counts 5 night hours on the New York spring day',
      calendar: newYorkNight,
      from: '2026-03-08T00:00-05:00',
      to: '2026-03-08T12:00-04:00',
      minutes: 300,
    },
    {
      name: 'counts 7 night hours on the New York autumn day',
      calendar: newYorkNight,
      from: '2026-11-01T00:00-04:00',
      to: '2026-11-01T12:00-05:00',
      minutes: 420,
    },
    {
      name: 'counts a New York week across the spring change as 40 hours',
      calendar: newYork,
      from: '2026-03-06T09:00-05:00',
      to: '2026-03-13T09:00-04:00',
      minutes: 2400,
    },
    {
      name: 'counts Monday morning in Auckland while it is Sunday in UTC',
      calendar: auckland,
      from: '2026-11-29T00:00Z',
      to: '2026-11-30T00:00Z',
      minutes: 240,
    },
    {
      name: 'counts nothing on a Tokyo holiday that starts on Sunday in UTC',
      calendar: tokyo,
      from: '2026-11-22T15:00Z',
      to: '2026-11-23T15:00Z',
      minutes: 0,
    },
  ]
  for (const { name, calendar, from, to, minutes } of cases) {
    it(name, () => expect(businessMinutesBetween(calendar, at(from), at(to))).toBe(minutes))
  }
})

describe('isOpen', () => {
  const cases: { name: string; calendar: BusinessCalendar; at: string; open: boolean }[] = [
    { name: 'at opening time', calendar: paris, at: '2026-11-25T09:00+01:00', open: true },
    { name: 'a minute before opening', calendar: paris, at: '2026-11-25T08:59+01:00', open: false },
    { name: 'a minute before closing', calendar: paris, at: '2026-11-25T16:59+01:00', open: true },
    { name: 'at closing time', calendar: paris, at: '2026-11-25T17:00+01:00', open: false },
    { name: 'on Saturday', calendar: paris, at: '2026-11-28T12:00+01:00', open: false },
    { name: 'on a holiday', calendar: parisHolidays, at: '2026-12-25T12:00+01:00', open: false },
    {
      name: 'just after the Paris spring gap',
      calendar: parisNight,
      at: '2026-03-29T03:00+02:00',
      open: true,
    },
    {
      name: 'in the second 02:30 of the Paris autumn change',
      calendar: parisGapHour,
      at: '2026-10-25T02:30+01:00',
      open: true,
    },
    {
      name: 'on Monday in Auckland while it is Sunday in UTC',
      calendar: auckland,
      at: '2026-11-29T21:00Z',
      open: true,
    },
    {
      name: 'on Saturday in Auckland while it is Friday in UTC',
      calendar: auckland,
      at: '2026-11-27T21:00Z',
      open: false,
    },
    {
      name: 'on a Tokyo holiday',
      calendar: tokyo,
      at: '2026-11-23T10:00+09:00',
      open: false,
    },
  ]
  for (const { name, calendar, at: instant, open } of cases) {
    it(`is ${open ? 'open' : 'closed'} ${name}`, () =>
      expect(isOpen(calendar, at(instant))).toBe(open))
  }
})

describe('nextOpening', () => {
  const cases: { name: string; calendar: BusinessCalendar; at: string; opening: string }[] = [
    {
      name: 'is the instant itself when open',
      calendar: paris,
      at: '2026-11-25T10:15+01:00',
      opening: '2026-11-25T10:15+01:00',
    },
    {
      name: 'is the same morning before opening',
      calendar: paris,
      at: '2026-11-25T06:00+01:00',
      opening: '2026-11-25T09:00+01:00',
    },
    {
      name: 'is the next morning at closing time',
      calendar: paris,
      at: '2026-11-25T17:00+01:00',
      opening: '2026-11-26T09:00+01:00',
    },
    {
      name: 'is Monday from Friday evening',
      calendar: paris,
      at: '2026-11-27T18:00+01:00',
      opening: '2026-11-30T09:00+01:00',
    },
    {
      name: 'is Tuesday when Monday is a holiday',
      calendar: parisHolidays,
      at: '2026-04-04T12:00+02:00',
      opening: '2026-04-07T09:00+02:00',
    },
    {
      name: 'is Monday 09:00 at the new New York offset',
      calendar: newYork,
      at: '2026-03-07T12:00-05:00',
      opening: '2026-03-09T09:00-04:00',
    },
    {
      name: 'is 03:00 when opening time 02:00 falls in the Paris spring gap',
      calendar: { ...parisGapHour, week: everyDay('02:00', '04:00') },
      at: '2026-03-29T00:30+01:00',
      opening: '2026-03-29T03:00+02:00',
    },
    {
      name: 'is Monday in Auckland from a Friday in UTC',
      calendar: auckland,
      at: '2026-11-27T21:00Z',
      opening: '2026-11-30T09:00+13:00',
    },
  ]
  for (const { name, calendar, at: instant, opening } of cases) {
    it(name, () => expect(local(calendar, nextOpening(calendar, at(instant)))).toBe(opening))
  }
})

describe('addBusinessMinutes and businessMinutesBetween are inverse', () => {
  const starts: [BusinessCalendar, string[]][] = [
    [
      paris,
      [
        '2026-11-25T10:00+01:00',
        '2026-11-25T10:00:30.250+01:00',
        '2026-11-25T16:59+01:00',
        '2026-11-27T18:00+01:00',
        '2026-11-28T03:00+01:00',
        '2026-03-27T12:00+01:00',
        '2026-10-23T12:00+02:00',
      ],
    ],
    [parisHolidays, ['2026-12-23T11:00+01:00', '2026-04-02T15:00+02:00']],
    [parisNight, ['2026-03-28T23:00+01:00', '2026-03-29T01:59+01:00', '2026-10-25T01:30+02:00']],
    [parisRoundTheClock, ['2026-03-28T22:00+01:00', '2026-10-24T22:00+02:00']],
    [newYork, ['2026-03-06T13:00-05:00', '2026-10-30T13:00-04:00']],
    [newYorkNight, ['2026-03-08T01:00-05:00', '2026-11-01T00:30-04:00']],
    [tokyo, ['2026-11-20T16:00+09:00', '2026-11-22T23:30Z']],
    [auckland, ['2026-11-27T21:00Z', '2026-09-25T15:00+12:00', '2026-04-03T15:00+13:00']],
  ]
  const durations = [0, 1, 59, 60, 240, 479, 480, 481, 960, 2400, 10_000, 100_000]
  for (const [calendar, froms] of starts) {
    for (const from of froms) {
      it(`in ${calendar.timeZone} from ${from}`, () => {
        for (const minutes of durations) {
          const due = addBusinessMinutes(calendar, at(from), minutes)
          expect({ minutes, between: businessMinutesBetween(calendar, at(from), due) }).toEqual({
            minutes,
            between: minutes,
          })
        }
      })
    }
  }
})

describe('the guard against calendars that never open', () => {
  const closedWeek: BusinessCalendar = {
    timeZone: 'Europe/Paris',
    week: { 1: null, 2: null, 3: null, 4: null, 5: null, 6: null, 7: null },
    holidays: [],
  }
  // Every day from 2026-01-01 for 4,000 days (more than the schema allows) is a holiday.
  const allHolidays: BusinessCalendar = {
    ...paris,
    holidays: Array.from({ length: 4000 }, (_, i) =>
      new Date(Date.UTC(2026, 0, 1 + i)).toISOString().slice(0, 10),
    ),
  }
  const from = at('2026-01-01T10:00+01:00')

  it('throws for a week without hours instead of looping', () => {
    expect(() => addBusinessMinutes(closedWeek, from, 60)).toThrow(/no opening hours in 3700 days/)
    expect(() => nextOpening(closedWeek, from)).toThrow(/no opening hours in 3700 days/)
  })

  it('throws when every day is a holiday instead of looping', () => {
    expect(() => addBusinessMinutes(allHolidays, from, 60)).toThrow(/no opening hours in 3700 days/)
  })

  it('counts 0 minutes for such calendars', () => {
    expect(businessMinutesBetween(allHolidays, from, at('2027-01-01T10:00+01:00'))).toBe(0)
  })

  it('does not stop a long window in an open calendar', () => {
    // 2,000 business days is about 2,800 calendar days, a year holding 366 holidays included.
    const minutes = 2000 * 8 * 60
    const busy: BusinessCalendar = { ...paris, holidays: allHolidays.holidays.slice(0, 366) }
    const due = addBusinessMinutes(busy, from, minutes)
    expect(businessMinutesBetween(busy, from, due)).toBe(minutes)
  })
})

describe('BusinessCalendarInput', () => {
  const messages = (input: unknown) => {
    const result = BusinessCalendarInput.safeParse(input)
    return result.success
      ? []
      : result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`)
  }
  const valid = {
    timeZone: 'Europe/Paris',
    week: {
      1: { start: '09:00', end: '17:00' },
      2: { start: '09:00', end: '17:00' },
      3: { start: '09:00', end: '17:00' },
      4: { start: '09:00', end: '17:00' },
      5: { start: '09:00', end: '12:30' },
      6: null,
      7: null,
    },
    holidays: ['2026-12-25', '2027-01-01'],
  }
  const withDay = (hours: unknown) => ({ ...valid, week: { ...valid.week, 1: hours } })

  it('accepts a calendar and yields a BusinessCalendar', () => {
    const calendar: BusinessCalendar = BusinessCalendarInput.parse(valid)
    expect(calendar).toEqual(valid)
  })

  it('accepts the default calendar and round-the-clock hours', () => {
    expect(messages(defaultCalendar('America/New_York'))).toEqual([])
    expect(messages(parisRoundTheClock)).toEqual([])
  })

  const cases: { name: string; input: unknown; messages: string[] }[] = [
    {
      name: 'an unknown time zone',
      input: { ...valid, timeZone: 'Mars/Olympus_Mons' },
      messages: ['timeZone: must be an IANA time zone such as Europe/Paris'],
    },
    {
      name: 'an offset instead of a zone',
      input: { ...valid, timeZone: '+01:00' },
      messages: ['timeZone: must be an IANA time zone such as Europe/Paris'],
    },
    {
      name: 'a time without leading zero',
      input: withDay({ start: '9:00', end: '17:00' }),
      messages: ['week.1.start: must be a time HH:MM such as 09:00'],
    },
    {
      name: 'an impossible end time',
      input: withDay({ start: '09:00', end: '17:60' }),
      messages: ['week.1.end: must be a time HH:MM such as 17:00, or 24:00 for midnight'],
    },
    {
      name: 'a start at 24:00',
      input: withDay({ start: '24:00', end: '24:00' }),
      messages: ['week.1.start: must be a time HH:MM such as 09:00'],
    },
    {
      name: 'overnight hours',
      input: withDay({ start: '22:00', end: '06:00' }),
      messages: [
        'week.1.end: end must be after start; overnight hours (ending at or before the start) are not supported',
      ],
    },
    {
      name: 'hours that end when they start',
      input: withDay({ start: '09:00', end: '09:00' }),
      messages: [
        'week.1.end: end must be after start; overnight hours (ending at or before the start) are not supported',
      ],
    },
    {
      name: 'a missing day',
      input: { ...valid, week: { ...valid.week, 7: undefined } },
      messages: ['week.7: must be { start, end } or null for a closed day'],
    },
    {
      name: 'a day 8',
      input: { ...valid, week: { ...valid.week, 8: null } },
      messages: ['week: unknown day "8"; days are 1 (Monday) to 7 (Sunday)'],
    },
    {
      name: 'a week without working days',
      input: {
        ...valid,
        week: { 1: null, 2: null, 3: null, 4: null, 5: null, 6: null, 7: null },
      },
      messages: ['week: at least one day of the week must have opening hours'],
    },
    {
      name: 'an impossible holiday',
      input: { ...valid, holidays: ['2026-12-25', '2026-02-30'] },
      messages: ['holidays.1: must be a date YYYY-MM-DD such as 2026-12-25'],
    },
    {
      name: 'a holiday not in YYYY-MM-DD',
      input: { ...valid, holidays: ['25/12/2026'] },
      messages: ['holidays.0: must be a date YYYY-MM-DD such as 2026-12-25'],
    },
    {
      name: 'more than 366 holidays',
      input: {
        ...valid,
        holidays: Array.from({ length: 367 }, (_, i) =>
          new Date(Date.UTC(2026, 0, 1 + i)).toISOString().slice(0, 10),
        ),
      },
      messages: ['holidays: at most 366 holidays'],
    },
  ]
  for (const { name, input, messages: expected } of cases) {
    it(`refuses ${name}`, () => expect(messages(input)).toEqual(expected))
  }

  it('accepts 366 holidays', () => {
    const holidays = Array.from({ length: 366 }, (_, i) =>
      new Date(Date.UTC(2028, 0, 1 + i)).toISOString().slice(0, 10),
    )
    expect(messages({ ...valid, holidays })).toEqual([])
  })
})
