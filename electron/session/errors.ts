/** A mistake in what the user asked for; crosses the bridge as `bad-input` with this message. */
export class UserError extends Error {
  override readonly name = 'UserError'
}
