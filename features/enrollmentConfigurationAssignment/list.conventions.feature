@op:enrollmentConfigurationAssignment.list
Feature: List enrollmentConfigurationAssignments: read-your-writes
  A list made after a create must show the new assignment. ECA-LIST-001 (from the doc page) allows an eventually
  consistent service a bounded convergence window (30 s against a URL, none against a mock; the suite lists
  again with backoff); showing it at once is what Graph's conventions ask. Written by hand.

  Background:
    Given the resources the example "enrollmentConfigurationAssignment/list" addresses exist

  @req:ECA-LIST-101 @should
  Scenario: A list right after a create shows the new assignment
    The service SHOULD show an assignment in its configuration's assignments collection in the first list made after its creation was answered.

    When the client sends the example request "enrollmentConfigurationAssignment/list"
    Then the response status is 200
    And the response collection holds the created entity at once
