// Gradient clipping, as torch.nn.utils.clip_grad_norm_ / clip_grad_value_.

import { GatedError } from "../errors.ts";
import type { EngineContext } from "../layers/context.ts";
import { checkParameters, type Parameter } from "../layers/parameter.ts";

/** Global L2 norm of the gradients. */
export function gradNorm(ctx: EngineContext, params: readonly Parameter[]): number {
  checkParameters(ctx, params, "gradNorm");
  let sum = 0;
  for (const p of params) sum += ctx.kernels.sumSquares(p.size, p.grad);
  return Math.sqrt(sum);
}

/**
 * Scales all gradients so their global L2 norm is at most maxNorm; returns the
 * norm before clipping. A NaN or infinite norm is refused before any gradient
 * changes, since scaling by it would silently ruin every weight.
 */
export function clipGradNorm(ctx: EngineContext, params: readonly Parameter[], maxNorm: number): number {
  if (!(maxNorm > 0) || !Number.isFinite(maxNorm)) throw new GatedError(`clipGradNorm: maxNorm must be a finite number > 0, got ${maxNorm}`);
  checkParameters(ctx, params, "clipGradNorm");
  const norm = gradNorm(ctx, params);
  if (!Number.isFinite(norm)) throw new GatedError(`clipGradNorm: the gradient norm is ${norm}; the gradients contain NaN or infinite values`);
  const coef = maxNorm / (norm + 1e-6);
  if (coef < 1) for (const p of params) ctx.kernels.scale(p.size, p.grad, coef);
  return norm;
}

/** Clamps every gradient entry to [-clipValue, clipValue]. */
export function clipGradValue(ctx: EngineContext, params: readonly Parameter[], clipValue: number): void {
  if (!(clipValue > 0) || !Number.isFinite(clipValue)) throw new GatedError(`clipGradValue: clipValue must be a finite number > 0, got ${clipValue}`);
  checkParameters(ctx, params, "clipGradValue");
  for (const p of params) ctx.kernels.clamp(p.size, p.grad, -clipValue, clipValue);
}
