/** Every refusal of bad input; the message names what was wrong. */
export class GatedError extends Error {
  override name = "GatedError";
}
