package kernel

import "sync"

// A packedGemm multiplies matrices the way BLIS and OpenBLAS do (Goto and
// van de Geijn, "Anatomy of High-Performance Matrix Multiplication", ACM
// TOMS 34(3), 2008): op(b) is copied, kc rows by nc columns at a time, into
// panels of nr columns laid out in the order the micro-kernel reads them,
// and op(a), mc rows by kc at a time, into panels of mr rows. The
// micro-kernel then computes one mr×nr tile of c from one panel of each,
// keeping the whole tile in registers while it runs down kc: every value it
// loads feeds mr or nr multiply-adds, and both panels stay in the caches.
//
// Packing also does away with the layouts: the transposes are undone while
// copying, so one micro-kernel serves aᵀ·b, a·bᵀ and a·b alike, and the
// zeros that pad the last panels let it compute only whole tiles.
type packedGemm struct {
	mr, nr     int // the micro-kernel's tile
	mc, kc, nc int // the blocks of a and b packed at a time
	// micro[r-1] adds the product of an mr-row panel a and nr columns of b,
	// both kc long, to the first r rows of the tile at c (or stores it
	// there, when accumulate is false). A nil entry falls back to the
	// mr-row kernel and an edge tile.
	micro []microKernel
	// packT, if not nil, packs nr rows of a transposed b, a multiple of 8
	// long, into a panel: packT(kc, src, ld, dst) sets dst[l·nr+j] =
	// src[j·ld+l].
	packT func(kc int, src []float32, ld int, dst []float32)
	// packN, if not nil, packs mr rows of an untransposed a, a multiple of
	// 8 long, into a panel: packN(kc, src, ld, dst) sets dst[l·mr+r] =
	// src[r·ld+l], and may write zeros up to 8 floats past the panel's end.
	packN func(kc int, src []float32, ld int, dst []float32)
}

// A microKernel computes one tile of c: see packedGemm.micro. The columns
// of a are lda floats apart: mr in a packed panel, or 1 when the kernel
// reads a single row of a where it lies. The rows of b are ldb floats
// apart: nr in a packed panel, or b's own row length.
type microKernel func(kc int, a []float32, lda int, b []float32, ldb int, c []float32, ldc int, accumulate bool)

// aBlockBytes bounds a packed block of a: half of a core's L2 here (Zen 2
// and later have 512 KiB), so that it stays there while b streams past.
const aBlockBytes = 192 << 10

// scratch holds a goroutine's packed panels and an edge tile.
type scratch struct {
	a, b, tile []float32
}

// scratches is a free list of scratch space, one for each goroutine that
// has run a product at once. Unlike a sync.Pool, which the garbage
// collector empties, it keeps its buffers, so that a warm network never
// allocates: there are never more than a few, of a few megabytes at most.
var scratches struct {
	sync.Mutex
	free []*scratch
}

func getScratch() *scratch {
	scratches.Lock()
	defer scratches.Unlock()
	if n := len(scratches.free); n > 0 {
		s := scratches.free[n-1]
		scratches.free = scratches.free[:n-1]
		return s
	}
	return new(scratch)
}

func putScratch(s *scratch) {
	scratches.Lock()
	scratches.free = append(scratches.free, s)
	scratches.Unlock()
}

// gemm runs p on the calling goroutine.
//
// An untransposed b is not packed: the kernel reads its nr columns in
// place, one row of nr floats for each step of k, which is as cache-friendly
// as a packed panel and saves copying the largest matrix of a convolution
// (im2col's) once more. Only its last, narrower panel is packed, padded
// with zeros. A transposed b is packed, as is a, whatever its layout.
func (g *packedGemm) gemm(p product) {
	s := getScratch()
	defer putScratch(s)
	// A short k leaves room in L2 for more rows of a; with all of them in
	// one block, b is read once instead of once per block.
	mc := max(g.mc, min(p.m, aBlockBytes/4/min(p.k, g.kc)))
	s.a = grow(s.a, roundUp(min(mc, p.m), g.mr)*min(p.k, g.kc)+8)
	s.b = grow(s.b, roundUp(min(g.nc, p.n), g.nr)*g.kc)
	s.tile = grow(s.tile, g.mr*g.nr)
	for jc := 0; jc < p.n; jc += g.nc {
		nc := min(g.nc, p.n-jc)
		for pc := 0; pc < p.k; pc += g.kc {
			kc := min(g.kc, p.k-pc)
			// The first block of k stores into c unless the caller
			// accumulates; the others add to it.
			acc := p.accumulate || pc > 0
			if p.transB {
				g.packB(s.b, p, pc, kc, jc, nc)
			} else if edge := nc % g.nr; edge != 0 && !p.skinny() {
				g.packB(s.b, p, pc, kc, jc+nc-edge, edge)
			}
			for ic := 0; ic < p.m; ic += mc {
				mc := min(mc, p.m-ic)
				g.packA(s.a, p, ic, mc, pc, kc)
				g.block(s, p, ic, mc, jc, nc, pc, kc, acc)
			}
		}
	}
}

// block runs the micro-kernel over one packed mc×kc block of a and a kc×nc
// block of b. Each nr columns of b stay in L1 while the a panels stream past
// them.
func (g *packedGemm) block(s *scratch, p product, ic, mc, jc, nc, pc, kc int, acc bool) {
	mr, nr := g.mr, g.nr
	lda := mr
	if p.m == 1 && !p.transA {
		lda = 1 // a single row, read where it lies: see packA
	}
	for jr := 0; jr < nc; jr += nr {
		cols := min(nr, nc-jr)
		var bp []float32
		ldb := nr
		switch {
		case p.transB:
			bp = s.b[jr*kc:]
		case cols == nr:
			bp, ldb = p.b[pc*p.ldb+jc+jr:], p.ldb
		case p.skinny():
			p.edge(ic, mc, jc+jr, cols, pc, kc, acc)
			continue
		default:
			bp = s.b // the packed last panel
		}
		for ir := 0; ir < mc; ir += mr {
			rows := min(mr, mc-ir)
			ap := s.a[ir*kc : (ir+mr)*kc]
			if lda == 1 {
				ap = p.a[pc : pc+kc]
			}
			off := (ic+ir)*p.ldc + jc + jr
			micro := g.micro[rows-1]
			if micro != nil && cols == nr {
				micro(kc, ap, lda, bp, ldb, p.c[off:], p.ldc, acc)
				continue
			}
			// An edge tile: compute it aside, keep what falls in c.
			if micro == nil {
				micro = g.micro[mr-1]
			}
			micro(kc, ap, lda, bp, ldb, s.tile, nr, false)
			for r := range rows {
				dst := p.c[off+r*p.ldc : off+r*p.ldc+cols]
				src := s.tile[r*nr : r*nr+cols]
				if acc {
					for j, v := range src {
						dst[j] += v
					}
				} else {
					copy(dst, src)
				}
			}
		}
	}
}

// packA copies rows [i0, i0+mc) and columns [p0, p0+kc) of op(a) into
// panels of mr rows: panel q holds, for each l in turn, the mr values
// op(a)[i0+q·mr+r][p0+l]. Rows past the end of op(a) are zeros.
//
// A single untransposed row, as one sample through an affine layer makes,
// is not packed: the kernel reads it where it lies, and copying it into a
// panel of mostly zeros took longer than the product.
func (g *packedGemm) packA(dst []float32, p product, i0, mc, p0, kc int) {
	if p.m == 1 && !p.transA {
		return
	}
	mr := g.mr
	for ir := 0; ir < mc; ir += mr {
		rows := min(mr, mc-ir)
		panel := dst[ir*kc : (ir+mr)*kc]
		if p.transA {
			// op(a)'s column l is a's row p0+l: mr values in a row.
			for l := range kc {
				src := p.a[(p0+l)*p.lda+i0+ir:][:rows]
				d := panel[l*mr : l*mr+mr]
				copy(d, src)
				clear(d[rows:])
			}
			continue
		}
		done := 0
		if g.packN != nil && rows == mr {
			done = kc &^ 7
			g.packN(done, p.a[(i0+ir)*p.lda+p0:], p.lda, dst[ir*kc:])
		}
		packTransposing(panel, p.a[(i0+ir)*p.lda+p0:], p.lda, rows, mr, done, kc)
	}
}

// packB copies rows [p0, p0+kc) and columns [j0, j0+nc) of op(b) into
// panels of nr columns: panel q holds, for each l in turn, the nr values
// op(b)[p0+l][j0+q·nr+j]. Columns past the end of op(b) are zeros.
func (g *packedGemm) packB(dst []float32, p product, p0, kc, j0, nc int) {
	nr := g.nr
	for jr := 0; jr < nc; jr += nr {
		cols := min(nr, nc-jr)
		panel := dst[jr*kc : (jr+nr)*kc]
		if !p.transB {
			// Element by element: the panels packed here are narrow (an
			// edge), where calls to copy and clear cost more than the copy.
			for l := range kc {
				src := p.b[(p0+l)*p.ldb+j0+jr:][:cols]
				d := panel[l*nr : l*nr+nr]
				for j, v := range src {
					d[j] = v
				}
				for j := cols; j < nr; j++ {
					d[j] = 0
				}
			}
			continue
		}
		// op(b)'s row l is b's column p0+l.
		done := 0
		if g.packT != nil && cols == nr {
			done = kc &^ 7
			g.packT(done, p.b[(j0+jr)*p.ldb+p0:], p.ldb, panel)
		}
		packTransposing(panel, p.b[(j0+jr)*p.ldb+p0:], p.ldb, cols, nr, done, kc)
	}
}

// packTransposing sets panel[l·width+r] = src[r·ld+l] for the count rows
// r of src and l in [done, kc), and zeros the panel's columns r in
// [count, width): the plain-Go part of packing rows of a, or columns of a
// transposed b, into a panel, after the SIMD part has done the first done.
func packTransposing(panel, src []float32, ld, count, width, done, kc int) {
	for r := range count {
		row := src[r*ld:][:kc]
		for l := done; l < kc; l++ {
			panel[l*width+r] = row[l]
		}
	}
	for r := count; r < width; r++ {
		for l := range kc {
			panel[l*width+r] = 0
		}
	}
}

// skinny reports whether p has so few rows that the last, narrower panel of
// an untransposed b is cheaper to multiply in place, by edge, than to pack.
func (p product) skinny() bool { return p.m <= 2 && !p.transB }

// edge adds to c (or stores in it) the product of rows [ic, ic+mc) of
// op(a) and columns [j0, j0+cols) of b, over rows [p0, p0+kc) of b: a plain
// loop, for the few elements of a skinny product's last panel.
func (p product) edge(ic, mc, j0, cols, p0, kc int, accumulate bool) {
	for i := ic; i < ic+mc; i++ {
		row := p.c[i*p.ldc+j0 : i*p.ldc+j0+cols]
		for j := range row {
			var s float32
			for l := p0; l < p0+kc; l++ {
				x := p.a[i*p.lda+l]
				if p.transA {
					x = p.a[l*p.lda+i]
				}
				s += x * p.b[l*p.ldb+j0+j]
			}
			if accumulate {
				s += row[j]
			}
			row[j] = s
		}
	}
}

// grow returns a slice of length n, reusing buf when it is large enough.
func grow(buf []float32, n int) []float32 {
	if cap(buf) < n {
		return make([]float32, n)
	}
	return buf[:n]
}
