package steps

import (
	"fmt"
	"strconv"

	"github.com/cucumber/godog"

	"github.com/graphconform/graphconform/internal/check"
)

// Steps about the response status and headers.
func (s *scenario) registerResponse(sc *godog.ScenarioContext) {
	sc.Step(`^the response status is (\d{3})$`, func(code string) error {
		ex, err := s.lastExchange()
		if err != nil {
			return err
		}
		n, _ := strconv.Atoi(code)
		return check.Status(ex, n)
	})
	sc.Step(`^the response status is a success$`, func() error {
		ex, err := s.lastExchange()
		if err != nil {
			return err
		}
		return check.Success(ex)
	})
	sc.Step(`^the response is not a server error$`, func() error {
		ex, err := s.lastExchange()
		if err != nil {
			return err
		}
		return check.NotServerError(ex)
	})
	sc.Step(`^the response media type is "([^"]+)"$`, func(mt string) error {
		ex, err := s.lastExchange()
		if err != nil {
			return err
		}
		return check.MediaType(ex, mt)
	})
	sc.Step(`^the response header "([^"]+)" is present$`, func(name string) error {
		ex, err := s.lastExchange()
		if err != nil {
			return err
		}
		return check.Header(ex, name)
	})
	sc.Step(`^the response header "([^"]+)" echoes the request$`, func(name string) error {
		ex, err := s.lastExchange()
		if err != nil {
			return err
		}
		sent := ex.RequestHeader.Get(name)
		if sent == "" {
			return fmt.Errorf("the scenario set no %s request header to compare with (a feature bug, not a target failure)", name)
		}
		return check.HeaderEquals(ex, name, sent)
	})
	sc.Step(`^the response header "([^"]+)" lists "([^"]+)"$`, func(name, token string) error {
		ex, err := s.lastExchange()
		if err != nil {
			return err
		}
		return check.HeaderLists(ex, name, token)
	})
}
