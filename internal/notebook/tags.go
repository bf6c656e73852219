package notebook

import (
	"encoding/json"
	"slices"
)

// Tags returns the cell's Jupyter tags (cell.metadata.tags); none if it has no valid list.
func (c *Cell) Tags() []string {
	var tags []string
	if raw, ok := c.Metadata["tags"]; ok {
		if json.Unmarshal(raw, &tags) != nil {
			return nil
		}
	}
	return tags
}

// HasTag reports whether the cell carries the Jupyter tag.
func (c *Cell) HasTag(tag string) bool { return slices.Contains(c.Tags(), tag) }
