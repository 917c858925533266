// Activations of the JS twin, from the platform's float64 exp and tanh.

export const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));
export const tanh = Math.tanh;
