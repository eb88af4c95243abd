/**
 * Times on the terminal, as short as they can be without being ambiguous: today's by the time of
 * day only (`14:03`), this year's with the day (`Mar 4 14:03`), older ones with the year
 * (`2025-03-04 14:03`). Local time; `now` is a parameter so tests need no clock.
 */
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']

function two(n: number): string {
  return n.toString().padStart(2, '0')
}

export function compactTime(ms: number, now: number = Date.now()): string {
  const at = new Date(ms)
  const today = new Date(now)
  const clock = `${two(at.getHours())}:${two(at.getMinutes())}`
  if (at.getFullYear() !== today.getFullYear()) {
    return `${at.getFullYear()}-${two(at.getMonth() + 1)}-${two(at.getDate())} ${clock}`
  }
  if (at.getMonth() !== today.getMonth() || at.getDate() !== today.getDate()) {
    return `${MONTHS[at.getMonth()]} ${at.getDate()} ${clock}`
  }
  return clock
}
