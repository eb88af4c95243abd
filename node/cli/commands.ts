/**
 * The table of `parley` commands, by name, from each family's file; main.ts looks a command up
 * here. The usage text is usage.ts.
 */
import type { Command } from './command.ts'
import { COMMUNITY_COMMANDS } from './community.ts'
import { CONTACT_COMMANDS } from './contact-commands.ts'
import { GROUP_COMMANDS } from './group.ts'
import { MESSAGE_COMMANDS } from './message-commands.ts'
import { NAME_COMMANDS } from './name-commands.ts'
import { NODE_COMMANDS } from './node-commands.ts'

export const COMMANDS: Record<string, Command> = {
  ...NODE_COMMANDS,
  ...NAME_COMMANDS,
  ...CONTACT_COMMANDS,
  ...MESSAGE_COMMANDS,
  ...COMMUNITY_COMMANDS,
  ...GROUP_COMMANDS
}
