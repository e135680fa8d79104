/** Adam with decoupled weight decay (AdamW) over a flat parameter buffer; decay only on chosen ranges. */
import type { TensorSlot } from './param-buffer.ts';

export interface AdamOptions {
  lr: number;
  beta1?: number;
  beta2?: number;
  eps?: number;
  weightDecay?: number;
}

export class Adam {
  private readonly m: Float32Array;
  private readonly v: Float32Array;
  private readonly decayMask: Uint8Array;
  private t = 0;
  readonly opts: Required<AdamOptions>;

  constructor(size: number, tensors: TensorSlot[], opts: AdamOptions) {
    this.m = new Float32Array(size);
    this.v = new Float32Array(size);
    this.decayMask = new Uint8Array(size);
    for (const t of tensors) if (t.decay) this.decayMask.fill(1, t.offset, t.offset + t.size);
    this.opts = { beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, ...opts };
  }

  /** One update of `params` from `grad` (same layout). */
  step(params: Float32Array, grad: Float32Array, lr = this.opts.lr): void {
    const { beta1, beta2, eps, weightDecay } = this.opts;
    this.t++;
    const c1 = 1 / (1 - beta1 ** this.t);
    const c2 = 1 / (1 - beta2 ** this.t);
    const m = this.m;
    const v = this.v;
    for (let i = 0; i < params.length; i++) {
      const g = grad[i];
      m[i] = beta1 * m[i] + (1 - beta1) * g;
      v[i] = beta2 * v[i] + (1 - beta2) * g * g;
      let p = params[i];
      if (this.decayMask[i]) p -= lr * weightDecay * p;
      params[i] = p - (lr * m[i] * c1) / (Math.sqrt(v[i] * c2) + eps);
    }
  }
}
