/**
 * A minimal terminal for tests: applies what readline writes (text, \r, \n, cursor moves, clears)
 * to a grid of lines, so a test asserts what a person would see rather than raw escape codes.
 */
export class TerminalScreen {
  readonly lines: string[] = ['']
  private row = 0
  private col = 0

  write(data: string): void {
    for (let i = 0; i < data.length; i++) {
      const ch = data[i]!
      if (ch === '\x1b' && data[i + 1] === '[') {
        const m = /^\[([?\d;]*)([A-Za-z])/.exec(data.slice(i + 1))
        if (m === null) continue
        i += m[0].length
        this.csi(m[1]!, m[2]!)
      } else if (ch === '\r') {
        this.col = 0
      } else if (ch === '\n') {
        this.row++
        this.col = 0
        while (this.lines.length <= this.row) this.lines.push('')
      } else {
        const line = this.lines[this.row]!.padEnd(this.col)
        this.lines[this.row] = line.slice(0, this.col) + ch + line.slice(this.col + 1)
        this.col++
      }
    }
  }

  private csi(params: string, final: string): void {
    const n = params === '' ? undefined : Number(params)
    if (final === 'A') this.row = Math.max(0, this.row - (n ?? 1))
    else if (final === 'B') {
      this.row += n ?? 1
      while (this.lines.length <= this.row) this.lines.push('')
    } else if (final === 'C') this.col += n ?? 1
    else if (final === 'D') this.col = Math.max(0, this.col - (n ?? 1))
    else if (final === 'G') this.col = (n ?? 1) - 1
    else if (final === 'J' && (n ?? 0) === 0) {
      this.lines[this.row] = this.lines[this.row]!.slice(0, this.col)
      this.lines.length = this.row + 1
    } else if (final === 'K') {
      if (n === 2) this.lines[this.row] = ''
      else this.lines[this.row] = this.lines[this.row]!.slice(0, this.col)
    }
  }

  /** The visible text, trailing blank lines dropped. */
  text(): string {
    return this.lines
      .map(l => l.trimEnd())
      .join('\n')
      .trimEnd()
  }

  /** The row the cursor is on, and its column. */
  cursor(): { row: number; col: number; line: string } {
    return { row: this.row, col: this.col, line: this.lines[this.row] ?? '' }
  }
}
