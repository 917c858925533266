// Every scalar GEMM microkernel, exported under its file's name for the
// generic tester (tests/unit/microkernels.test.ts).
export { gemm4x8Scalar as f32_gemm_4x8_scalar } from "../../assembly/kernels/microkernels/f32-gemm-4x8-scalar";
export { gemm1x8Scalar as f32_gemm_1x8_scalar } from "../../assembly/kernels/microkernels/f32-gemm-1x8-scalar";
export { gemm1x24Scalar as f32_gemm_1x24_scalar } from "../../assembly/kernels/microkernels/f32-gemm-1x24-scalar";
