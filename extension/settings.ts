import * as vscode from 'vscode'

import type { NotificationMode } from './notify-rules.ts'

export type { NotificationMode }

/** The `parley.*` settings, read fresh each time (they may change while VS Code runs). */
export interface ParleySettings {
  home: string
  nodePath: string
  bootstrap: string[]
  listen: string[]
  mdns: boolean
  notifications: NotificationMode
  readReceipts: boolean
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string' && v.trim() !== '') : []
}

export function readSettings(): ParleySettings {
  const c = vscode.workspace.getConfiguration('parley')
  const notifications = c.get<string>('notifications', 'all')
  return {
    home: c.get<string>('home', '').trim(),
    nodePath: c.get<string>('nodePath', '').trim(),
    bootstrap: strings(c.get('bootstrap')),
    listen: strings(c.get('listen')),
    mdns: c.get<boolean>('mdns', true) !== false,
    notifications: notifications === 'mentions' || notifications === 'off' ? notifications : 'all',
    readReceipts: c.get<boolean>('readReceipts', true) !== false
  }
}
