package layouts

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

// TestTooManyErrors checks that a layout with many problems reports the
// first MaxErrors, in document order, then how many more there are.
func TestTooManyErrors(t *testing.T) {
	tests := []struct {
		name     string
		widgets  int
		overlaps bool
		wantN    int // errors listed
		wantMore int
	}{
		{"valid", 200, false, 0, 0},
		{"few", 10, true, 9, 0},
		{"at the cap", MaxErrors + 1, true, MaxErrors, 0},
		{"beyond the cap", 200, true, MaxErrors, 199 - MaxErrors},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("big.json", bigLayout(tt.widgets, tt.overlaps))
			if tt.wantN == 0 {
				if err != nil {
					t.Fatalf("Parse: %v", err)
				}
				return
			}
			var ve *ValidationError
			if !errors.As(err, &ve) || ve.Path != "$.dashboards[0].widgets[1].position" {
				t.Errorf("first error %v", ve)
			}
			lines := strings.Split(err.Error(), "\n")
			var tm *TooManyErrors
			if tt.wantMore == 0 {
				if errors.As(err, &tm) || len(lines) != tt.wantN {
					t.Fatalf("%d lines (%T), want %d", len(lines), err, tt.wantN)
				}
				return
			}
			if !errors.As(err, &tm) {
				t.Fatalf("error %T, want *TooManyErrors", err)
			}
			if len(tm.First) != tt.wantN || tm.More != tt.wantMore {
				t.Errorf("First %d, More %d; want %d, %d", len(tm.First), tm.More, tt.wantN, tt.wantMore)
			}
			if want := fmt.Sprintf("and %d more problems", tt.wantMore); lines[len(lines)-1] != want || len(lines) != tt.wantN+1 {
				t.Errorf("last of %d lines %q, want %q", len(lines), lines[len(lines)-1], want)
			}
			if want := `big.json:52:220: $.dashboards[0].widgets[50].position: overlaps widget "w0" ($.dashboards[0].widgets[0]) at row 1, col 1`; lines[49] != want {
				t.Errorf("line 50 = %s\nwant %s", lines[49], want)
			}
			var errs Errors
			if !errors.As(err, &errs) || len(errs) != MaxErrors {
				t.Errorf("errors.As(Errors) = %d errors", len(errs))
			}
		})
	}
	t.Run("Validate", func(t *testing.T) {
		l, err := Parse("big.json", bigLayout(200, false))
		if err != nil {
			t.Fatal(err)
		}
		for i := range l.Dashboards[0].Widgets {
			l.Dashboards[0].Widgets[i].Position = Position{Row: 1, Col: 1}
		}
		var tm *TooManyErrors
		if err := Validate(l); !errors.As(err, &tm) || len(tm.First) != MaxErrors || tm.More != 199-MaxErrors {
			t.Fatalf("Validate = %v", err)
		}
	})
}
