// Every Wasm SIMD GEMM microkernel, exported under its file's name for the
// generic tester; compiled once as SIMD and once with relaxed SIMD (fused).
export { gemm4x8Simd as f32_gemm_4x8_wasmsimd } from "../../assembly/kernels/microkernels/f32-gemm-4x8-wasmsimd";
export { gemm1x8Simd as f32_gemm_1x8_wasmsimd } from "../../assembly/kernels/microkernels/f32-gemm-1x8-wasmsimd";
export { gemm1x24Simd as f32_gemm_1x24_wasmsimd } from "../../assembly/kernels/microkernels/f32-gemm-1x24-wasmsimd";
