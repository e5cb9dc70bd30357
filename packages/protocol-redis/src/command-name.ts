// A command's name as events write it (upper-case method, Packetbeat's `redis.<lower>` action),
// worked out once per spelling: every transaction asks for it several times.

/** The forms of one command name. */
export interface CommandName {
  /** Upper-case: the event's `method`, and how commands are recognised. */
  readonly upper: string;
  /** `redis.` and the name in lower case: the event's `event.action`. */
  readonly action: string;
}

/** Spellings remembered; beyond, names are worked out each time (a hostile peer may send many). */
const MAX_NAMES = 512;
const names = new Map<string, CommandName>();

/** The forms of a command name as sent (any case). */
export function commandName(sent: string): CommandName {
  let name = names.get(sent);
  if (name === undefined) {
    name = { upper: sent.toUpperCase(), action: `redis.${sent.toLowerCase()}` };
    if (names.size < MAX_NAMES) names.set(sent, name);
  }
  return name;
}
