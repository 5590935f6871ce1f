// Command asm generates the AVX2 micro-kernels of package kernel,
// micro_amd64.s, with avo (github.com/mmcloughlin/avo).
//
// Run it through go generate in package kernel:
//
//	go generate ./nn/internal/kernel
//
// avo writes Go's assembler syntax from Go code: the loop below is unrolled
// by Go's own for loops and registers are allocated by avo, so the kernel's
// shape (up to 6 rows by 16 columns) is a pair of constants rather than two
// hundred hand-numbered lines, and the generated file is reproducible.
package main

import (
	"fmt"

	. "github.com/mmcloughlin/avo/build"
	. "github.com/mmcloughlin/avo/operand"
	. "github.com/mmcloughlin/avo/reg"
)

// The tile of c the kernel keeps in registers: mr rows of nr columns. AVX2
// has sixteen 8-wide YMM registers; 6 rows of 2 registers are twelve
// accumulators, leaving two for a row of b and one for a broadcast value of
// a. Each step of k then loads 2 + 6 values for 12 fused multiply-adds,
// which keeps both FMA units busy on the load ports a core has.
const (
	mr     = 6
	nr     = 16
	lanes  = 8
	vecs   = nr / lanes
	unroll = 4
)

func main() {
	for rows := 1; rows <= mr; rows++ {
		micro(rows)
	}
	Generate()
}

// micro generates the kernel for a tile of rows rows of c by nr columns.
// The kernels for fewer than mr rows serve the last panel of a and products
// of a single row (one digit through an affine layer), which would
// otherwise compute mr rows to keep one.
func micro(rows int) {
	name := fmt.Sprintf("micro%dx%d", rows, nr)
	TEXT(name, NOSPLIT, "func(kc int, a, b *float32, ldb int, c *float32, ldc int, accumulate bool)")
	Doc(
		fmt.Sprintf("%s adds the product of a %d-row panel a, packed as packA lays it out,", name, rows),
		fmt.Sprintf("and %d columns of b, whose rows are ldb floats apart, both kc long, to the", nr),
		"tile of c whose rows are ldc floats apart, or stores it there when accumulate is",
		"false. It needs AVX2 and FMA.",
	)
	kc := Load(Param("kc"), GP64())
	a := Load(Param("a"), GP64())
	b := Load(Param("b"), GP64())
	ldb := Load(Param("ldb"), GP64())
	c := Load(Param("c"), GP64())
	ldc := Load(Param("ldc"), GP64())
	SHLQ(U8(2), ldb) // floats to bytes
	SHLQ(U8(2), ldc)

	acc := make([][vecs]VecVirtual, rows)
	for r := range rows {
		for v := range vecs {
			acc[r][v] = YMM()
			VXORPS(acc[r][v], acc[r][v], acc[r][v])
		}
	}

	// step does one k: c[r][:] += a[r] · b[:] for every row r, then moves
	// b to its next row.
	step := func(u int) {
		var bv [vecs]VecVirtual
		for v := range vecs {
			bv[v] = YMM()
			VMOVUPS(Mem{Base: b, Disp: 4 * v * lanes}, bv[v])
		}
		for r := range rows {
			t := YMM()
			VBROADCASTSS(Mem{Base: a, Disp: 4 * (u*mr + r)}, t)
			for v := range vecs {
				VFMADD231PS(bv[v], t, acc[r][v])
			}
		}
		ADDQ(ldb, b)
	}

	Comment("Steps of k, unroll at a time.")
	Label(name + "_unrolled")
	CMPQ(kc, U8(unroll))
	JL(LabelRef(name + "_tail"))
	for u := range unroll {
		step(u)
	}
	ADDQ(U32(4*unroll*mr), a)
	SUBQ(U8(unroll), kc)
	JMP(LabelRef(name + "_unrolled"))

	Comment("The remaining steps, one at a time.")
	Label(name + "_tail")
	TESTQ(kc, kc)
	JZ(LabelRef(name + "_store"))
	step(0)
	ADDQ(U32(4*mr), a)
	DECQ(kc)
	JMP(LabelRef(name + "_tail"))

	Label(name + "_store")
	accumulate := Load(Param("accumulate"), GP8())
	TESTB(accumulate, accumulate)
	JZ(LabelRef(name + "_overwrite"))
	Comment("Add the tile to c.")
	row := GP64()
	MOVQ(c, row)
	for r := range rows {
		for v := range vecs {
			VADDPS(Mem{Base: row, Disp: 4 * v * lanes}, acc[r][v], acc[r][v])
			VMOVUPS(acc[r][v], Mem{Base: row, Disp: 4 * v * lanes})
		}
		if r < rows-1 {
			ADDQ(ldc, row)
		}
	}
	VZEROUPPER()
	RET()

	Label(name + "_overwrite")
	Comment("Store the tile in c.")
	for r := range rows {
		for v := range vecs {
			VMOVUPS(acc[r][v], Mem{Base: c, Disp: 4 * v * lanes})
		}
		if r < rows-1 {
			ADDQ(ldc, c)
		}
	}
	VZEROUPPER()
	RET()
}
