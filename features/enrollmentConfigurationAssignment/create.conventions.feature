@op:enrollmentConfigurationAssignment.create
Feature: Create enrollmentConfigurationAssignment: permissions
  Written by hand.

  Background:
    Given the resources the example "enrollmentConfigurationAssignment/create" addresses exist

  @req:ECA-CREATE-102 @should @needs:read-token
  Scenario: A read-only token cannot create
    The service SHOULD answer a POST of an assignment made with a token granting only read scopes with 403 Forbidden and a Graph error body, and create nothing.

    Given the request carries the read-only token
    When the client creates an assignment
    Then the response is not a server error
    And the response status is 403
    And the response body is a Graph error
    And the configuration still holds exactly the assignments provisioning created
