package ui

import (
	"time"

	"fyne.io/fyne/v2"
)

// keySequence remembers the first key of a two-key shortcut ("d k").
type keySequence struct {
	prefix rune
	at     time.Time
}

// sequenceTimeout is how long the first key of a shortcut waits for the second.
const sequenceTimeout = 2 * time.Second

// TypedRune handles the keyboard shortcuts typed outside text fields (see
// Shortcuts); Attach wires it to the window's canvas.
func (s *Shell) TypedRune(r rune) {
	now := time.Now()
	prefix := s.keys.prefix
	if now.Sub(s.keys.at) > sequenceTimeout {
		prefix = 0
	}
	s.keys.prefix = 0
	switch prefix {
	case 'd':
		switch r {
		case 'k':
			s.SetKiosk(!s.kiosk)
		case 'r':
			s.Refresh()
		case 'n':
			s.Next(1)
		case 'p':
			s.Next(-1)
		}
		return
	case 't':
		if r == 'z' {
			s.report(s.ZoomOut())
		}
		return
	}
	switch r {
	case 'd', 't':
		s.keys = keySequence{prefix: r, at: now}
	case '?':
		s.ShowShortcuts()
	case '/':
		if !s.kiosk {
			s.bar.focusSearch()
		}
	}
}

// TypedKey handles Esc, the kiosk exit key and "t ←" / "t →".
func (s *Shell) TypedKey(e *fyne.KeyEvent) {
	if s.keys.prefix == 't' && time.Since(s.keys.at) <= sequenceTimeout {
		s.keys.prefix = 0
		switch e.Name {
		case fyne.KeyLeft:
			s.report(s.ShiftTime(-1))
			return
		case fyne.KeyRight:
			s.report(s.ShiftTime(1))
			return
		}
	}
	exit := fyne.KeyEscape
	if k := s.Layout.Kiosk; k != nil && k.ExitKey != "" {
		exit = fyne.KeyName(k.ExitKey)
	}
	switch {
	case s.kiosk && e.Name == exit:
		s.leaveKiosk()
	case e.Name == fyne.KeyEscape && s.drill != nil:
		s.Back()
	}
}

func (s *Shell) report(err error) {
	if err != nil {
		s.ShowError(err)
	}
}
