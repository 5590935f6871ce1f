//go:build !amd64

package kernel

// simd is nil: this platform has no SIMD micro-kernel of ours.
var simd *implementation
