/**
 * Pure timeline logic: ordering, grouping by day and sender, and the labels shown for times. No DOM,
 * so node --test covers it directly.
 */
import type { MessageView } from '../../node/daemon/rpc-api.ts'

/** Consecutive messages of one sender on one day. */
export interface SenderGroup {
  from: string
  direction: MessageView['direction']
  messages: MessageView[]
}

/** One local calendar day of the conversation. */
export interface DayGroup {
  /** Local date as YYYY-MM-DD. */
  day: string
  /** Time of the first message that day, ms since the epoch. */
  start: number
  groups: SenderGroup[]
}

/** The time a message is placed at: when it was stored here (the sender's clock may be wrong). */
export function placedAt(message: MessageView): number {
  return message.storedAt
}

/** Local calendar date of `ms` as YYYY-MM-DD. */
export function dayKey(ms: number): string {
  const date = new Date(ms)
  const month = String(date.getMonth() + 1).padStart(2, '0')
  const day = String(date.getDate()).padStart(2, '0')
  return `${date.getFullYear()}-${month}-${day}`
}

/** Messages ordered by the time they were stored (stable for equal times), without duplicate ids (the last copy wins). */
export function orderMessages(messages: readonly MessageView[]): MessageView[] {
  const byId = new Map<string, MessageView>()
  for (const message of messages) byId.set(message.id, message)
  return [...byId.values()].sort((a, b) => placedAt(a) - placedAt(b))
}

/** True when `next` continues the sender group that `previous` ends. */
export function continuesGroup(previous: MessageView | undefined, next: MessageView): boolean {
  return previous !== undefined && previous.from === next.from && dayKey(placedAt(previous)) === dayKey(placedAt(next))
}

/** Groups ordered messages by local day, then by runs of one sender. */
export function groupTimeline(messages: readonly MessageView[]): DayGroup[] {
  const days: DayGroup[] = []
  let previous: MessageView | undefined
  for (const message of messages) {
    const key = dayKey(placedAt(message))
    let day = days.at(-1)
    if (day === undefined || day.day !== key) {
      day = { day: key, start: placedAt(message), groups: [] }
      days.push(day)
    }
    const group = day.groups.at(-1)
    if (group !== undefined && continuesGroup(previous, message)) {
      group.messages.push(message)
    } else {
      day.groups.push({ from: message.from, direction: message.direction, messages: [message] })
    }
    previous = message
  }
  return days
}

/**
 * Date formatters, one per locale and style: building an Intl.DateTimeFormat costs far more than
 * formatting with it, and every message of a page needs two or three labels.
 */
const formatters = new Map<string, Intl.DateTimeFormat>()
function formatter(locale: string | undefined, style: 'day' | 'time' | 'full'): Intl.DateTimeFormat {
  const key = `${style} ${locale ?? ''}`
  let f = formatters.get(key)
  if (f === undefined) {
    const options: Intl.DateTimeFormatOptions =
      style === 'day'
        ? { weekday: 'long', year: 'numeric', month: 'long', day: 'numeric' }
        : style === 'time'
          ? { hour: 'numeric', minute: '2-digit' }
          : { dateStyle: 'full', timeStyle: 'medium' }
    f = new Intl.DateTimeFormat(locale, options)
    formatters.set(key, f)
  }
  return f
}

/** "Today", "Yesterday", or the full local date. */
export function dayLabel(ms: number, now: number, locale?: string): string {
  const key = dayKey(ms)
  if (key === dayKey(now)) return 'Today'
  const yesterday = new Date(now)
  yesterday.setDate(yesterday.getDate() - 1)
  if (key === dayKey(yesterday.getTime())) return 'Yesterday'
  return formatter(locale, 'day').format(ms)
}

/** Local time of day, e.g. "14:05" or "2:05 PM" by locale. */
export function timeLabel(ms: number, locale?: string): string {
  return formatter(locale, 'time').format(ms)
}

/** Full local date and time, for tooltips. */
export function fullTimeLabel(ms: number, locale?: string): string {
  return formatter(locale, 'full').format(ms)
}

const units: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000]
]

/** "last seen 5 minutes ago" style label; "just now" under a minute. */
export function lastSeenLabel(ms: number, now: number, locale?: string): string {
  const elapsed = Math.max(0, now - ms)
  for (const [unit, size] of units) {
    if (elapsed >= size) {
      return new Intl.RelativeTimeFormat(locale, { numeric: 'auto' }).format(-Math.floor(elapsed / size), unit)
    }
  }
  return 'just now'
}
