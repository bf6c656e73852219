// Package plots draws the figures of the Hopfield course with gonum/plot: image grids of stored,
// probe and recalled patterns, line plots with error bars and theory lines (energy over steps,
// accuracy versus noise, capacity, β sweeps), bar charts and histograms, attention heatmaps, 2-D
// energy landscapes, and animations of asynchronous recall.
//
// Every constructor validates its data and returns a [*Figure] (or an [*Animation]) and an error
// that wraps one of the hopfieldlib sentinels (hopfieldlib.ErrShape, ErrEmpty, ErrNotFinite,
// ErrParameter), so a notebook cell gets a message rather than a panic. A Figure renders in memory
// to PNG, SVG or PDF bytes at its Width × Height, saves to a file by extension, and shows inline
// in a GoNB notebook with one call:
//
//	fig, err := plots.ImageGrid(28, 28, []plots.GridRow{
//		{Label: "stored", Images: stored},
//		{Label: "probe", Images: probes},
//		{Label: "recalled", Images: res.States, Highlight: failed},
//	}, plots.GridOptions{})
//	if err != nil { ... }
//	err = fig.Show() // in GoNB; elsewhere use fig.Save("recall.png") or fig.PNG()
//
// GoNB runs each cell as a fresh process, so a figure is built and shown in the same cell. Show
// returns an error wrapping [ErrNotNotebook] outside GoNB; the package never prints.
//
// Style: sans-serif text sized to read when a figure is shown 600 pixels wide (the default
// width), the Okabe–Ito colour-blind-safe palette for series (with a different marker shape per
// series, so figures also read in grey), viridis for heatmaps, and a required label on every axis.
// Images are drawn with nearest-neighbour pixels, never blurred: in PNG the pixels are scaled to
// the device resolution before drawing, in SVG the image carries image-rendering: pixelated.
//
// Text is plain Unicode in Liberation Sans: Greek letters, ᵀ, ¹²³, −, ≈, ≤, ± and · render;
// a few symbols do not (∝, ∇, ⁰, ⁹, ⁻), so write "~" or "N^(n−1)" instead.
//
// The package depends on hopfieldlib (for [hopfieldlib.Patterns]) and gonum/plot only; series are
// plain []float64 so a caller converts a table in one line.
package plots
