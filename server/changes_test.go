package server

import (
	"testing"
	"time"
)

func TestSettledVersion(t *testing.T) {
	var c Changes
	v1 := c.settledVersion(time.Hour)
	c.Bump()
	if v := c.settledVersion(time.Hour); v != v1 {
		t.Errorf("version moved within the refresh interval: %s → %s", v1, v)
	}
	if v := c.settledVersion(0); v == v1 {
		t.Error("version did not move once the interval had passed")
	}
}
