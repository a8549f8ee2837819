@op:enrollmentConfigurationAssignment.update
Feature: Update enrollmentConfigurationAssignment: identity and concurrent writers
  What a PATCH must never do to an assignment, whatever the body and however many clients write at once.
  Written by hand.

  Background:
    Given the resources the example "enrollmentConfigurationAssignment/update" addresses exist

  @req:ECA-UPDATE-018 @must
  Scenario: The key never changes
    The service MUST ignore or refuse (with a 4xx and a Graph error body) an id in a PATCH body that differs from the path's; either way the assignment MUST keep its id and its URL, and no assignment may appear under the id the body named.

    When the client sends PATCH to the assignment with another id in the body
    Then the response is not a server error
    And the assignment kept its id and URL

  @req:ECA-UPDATE-023 @must
  Scenario: Concurrent writers leave one of their targets, never a mix
    The service MUST answer each of several PATCHes of one assignment sent at once, each with a distinct target, with a 2xx or a Graph error (never a server error), and afterwards the stored target MUST be exactly one of the targets sent, never a mix of two.

    When several clients PATCH the assignment at once with distinct targets, round after round
    Then every concurrent PATCH answered a success or a Graph error, never a server error
    And after each round the assignment's target was exactly one of the targets sent
