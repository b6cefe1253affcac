import type { CommandRunner } from '../io'

export const runServe: CommandRunner = async (_argv, io) => {
  io.stderr('triage500 serve: not yet available\n')
  return 2
}
