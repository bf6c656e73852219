package engine

// The queries enter the products, and the updates leave them, as panels: 32 queries side by side,
// unit by unit (p[j·32 + i] is unit j of the panel's query i), the layout in which a row of a
// tile's B operand (see gemm.go) is one contiguous load. packPanel and unpackPanel move a panel's
// queries between that layout and rows, 16 units at a time: the 2 KB of the panel they touch stay
// in L1 while each row is read or written in order. (A 16 × 16 transpose in AVX-512 registers
// measured no faster inside a step, where these passes wait on memory, not on instructions.)

// panelBlock is the units moved per pass: 16 × 32 values (2 KB) of the panel.
const panelBlock = 16

// packPanel sets dst[j·32 + i] = rows[i][j]·f[i] for the first live queries and
// dst[j·32 + i] = 0 for the other lanes, j < d (dst holds d·32 values, each row d).
func packPanel(dst []float32, rows *[tileCols][]float32, f *[tileCols]float32, live, d int) {
	for b0 := 0; b0 < d; b0 += panelBlock {
		b1 := min(b0+panelBlock, d)
		blk := dst[b0*tileCols : b1*tileCols]
		// Query by query, each row read in order.
		for i := range live {
			fi := f[i]
			for jj, v := range rows[i][b0:b1] {
				blk[jj*tileCols+i] = v * fi
			}
		}
		if live < tileCols {
			for jj := range b1 - b0 {
				clear(blk[jj*tileCols+live : (jj+1)*tileCols])
			}
		}
	}
}

// unpackPanel sets outs[i][j] = float32(float64(ot[j·32 + i])·f[i]) for every lane i in
// lanes and j < dv, saturated at ±MaxFloat32 when clamp is set.
func unpackPanel(outs *[tileCols][]float32, lanes []int, f *[tileCols]float64, ot []float32, dv int, clamp bool) {
	for b0 := 0; b0 < dv; b0 += panelBlock {
		b1 := min(b0+panelBlock, dv)
		blk := ot[b0*tileCols : b1*tileCols]
		// Query by query, each update written in order.
		for _, i := range lanes {
			fi, out := f[i], outs[i][b0:b1]
			if clamp {
				for jj := range out {
					out[jj] = clampFloat32(float64(blk[jj*tileCols+i]) * fi)
				}
			} else {
				for jj := range out {
					out[jj] = float32(float64(blk[jj*tileCols+i]) * fi)
				}
			}
		}
	}
}
