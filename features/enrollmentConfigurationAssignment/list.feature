@op:enrollmentConfigurationAssignment.list
Feature: List enrollmentConfigurationAssignments
  GET /deviceManagement/deviceEnrollmentConfigurations/{deviceEnrollmentConfigurationId}/assignments
  lists the enrollment configuration assignment collection.
  Drawn from the doc page "List enrollmentConfigurationAssignments" (fixture enrollmentConfigurationAssignment/list).
  Page quirk, not a requirement: the example response's annotation gives @odata.type "Edm.String", a primitive type; the body is an enrollmentConfigurationAssignment, which is what the scenarios check.

  Background:
    Given the resources the example "enrollmentConfigurationAssignment/list" addresses exist

  @req:ECA-LIST-001 @must
  Scenario: The documented example request lists the assignment collection
    The service MUST answer the documented example request with 200 OK and an application/json collection whose "value" holds the assignment the scenario created, showing every property of the example item with the values it was created with.

    When the client sends the example request "enrollmentConfigurationAssignment/list"
    Then the response status is 200
    And the response media type is "application/json"
    And the response body validates against the "enrollmentConfigurationAssignment.collection" schema
    And the response collection holds the created entity
    And the created entity in the response collection matches the example entity of "enrollmentConfigurationAssignment/list" with the scenario's displayName and @odata.type

  @req:ECA-LIST-010 @must
  Scenario: A request without an Authorization header is rejected
    The service MUST answer a request without an Authorization header with 401 Unauthorized and a Graph error body.

    Given the request has no Authorization header
    When the client sends the example request "enrollmentConfigurationAssignment/list"
    Then the response is not a server error
    And the response status is 401
    And the response body is a Graph error

  @req:ECA-LIST-011 @must
  Scenario: A request with an invalid token is rejected
    The service MUST answer a request whose bearer token is not valid with 401 Unauthorized and a Graph error body.

    Given the request carries an invalid bearer token
    When the client sends the example request "enrollmentConfigurationAssignment/list"
    Then the response is not a server error
    And the response status is 401
    And the response body is a Graph error

  @req:ECA-LIST-012 @must
  Scenario: An unknown configuration id answers 404
    The service MUST answer a GET under a configuration id that does not exist with 404 Not Found and a Graph error body.

    Given the request addresses an unknown configuration
    When the client sends the example request "enrollmentConfigurationAssignment/list"
    Then the response is not a server error
    And the response status is 404
    And the response body is a Graph error
