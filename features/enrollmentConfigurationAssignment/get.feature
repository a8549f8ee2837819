@op:enrollmentConfigurationAssignment.get
Feature: Get enrollmentConfigurationAssignment
  GET /deviceManagement/deviceEnrollmentConfigurations/{deviceEnrollmentConfigurationId}/assignments/{enrollmentConfigurationAssignmentId}
  reads one enrollment configuration assignment.
  Drawn from the doc page "Get enrollmentConfigurationAssignment" (fixture enrollmentConfigurationAssignment/get).
  Page quirk, not a requirement: the example response wraps the entity in "value"; OData returns a single entity unwrapped, so the scenarios expect the entity itself and compare it with the example's "/value".
  Page quirk, not a requirement: the example response's annotation gives @odata.type "Edm.String", a primitive type; the body is an enrollmentConfigurationAssignment, which is what the scenarios check.

  Background:
    Given the resources the example "enrollmentConfigurationAssignment/get" addresses exist

  @req:ECA-GET-001 @must
  Scenario: The documented example request reads the assignment
    The service MUST answer the documented example request with 200 OK and an application/json body that is the assignment itself: valid against the schema, under the path's id, and showing every property of the example response with the values it was created with.

    When the client sends the example request "enrollmentConfigurationAssignment/get"
    Then the response status is 200
    And the response media type is "application/json"
    And the response body validates against the "enrollmentConfigurationAssignment" schema
    And the response body "/id" is the id the request addressed
    And the response body matches the example entity of "enrollmentConfigurationAssignment/get" with the scenario's displayName and @odata.type

  @req:ECA-GET-010 @must
  Scenario: A request without an Authorization header is rejected
    The service MUST answer a request without an Authorization header with 401 Unauthorized and a Graph error body.

    Given the request has no Authorization header
    When the client sends the example request "enrollmentConfigurationAssignment/get"
    Then the response is not a server error
    And the response status is 401
    And the response body is a Graph error

  @req:ECA-GET-011 @must
  Scenario: A request with an invalid token is rejected
    The service MUST answer a request whose bearer token is not valid with 401 Unauthorized and a Graph error body.

    Given the request carries an invalid bearer token
    When the client sends the example request "enrollmentConfigurationAssignment/get"
    Then the response is not a server error
    And the response status is 401
    And the response body is a Graph error

  @req:ECA-GET-012 @must
  Scenario: An unknown configuration id answers 404
    The service MUST answer a GET under a configuration id that does not exist with 404 Not Found and a Graph error body.

    Given the request addresses an unknown configuration
    When the client sends the example request "enrollmentConfigurationAssignment/get"
    Then the response is not a server error
    And the response status is 404
    And the response body is a Graph error

  @req:ECA-GET-013 @must
  Scenario: An unknown assignment id answers 404
    The service MUST answer a GET of an assignment id that does not exist with 404 Not Found and a Graph error body.

    Given the request addresses an unknown assignment
    When the client sends the example request "enrollmentConfigurationAssignment/get"
    Then the response is not a server error
    And the response status is 404
    And the response body is a Graph error
