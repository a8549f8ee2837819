@op:deviceEnrollmentConfiguration.get
Feature: Get deviceEnrollmentConfiguration
  GET /deviceManagement/deviceEnrollmentConfigurations/{deviceEnrollmentConfigurationId}
  reads one device enrollment configuration.
  Drawn from the doc page "Get deviceEnrollmentConfiguration" (fixture deviceEnrollmentConfiguration/get).
  Page quirk, not a requirement: the example response wraps the entity in "value"; OData returns a single entity unwrapped, so the scenarios expect the entity itself and compare it with the example's "/value".
  Page quirk, not a requirement: the example entity's @odata.type #microsoft.graph.deviceEnrollmentConfiguration is abstract in the metadata, so no service can return it; the scenarios create a deviceEnrollmentLimitConfiguration with the example's other properties and expect that type.
  Page quirk, not a requirement: the example response's annotation gives @odata.type "Edm.String", a primitive type; the body is a deviceEnrollmentConfiguration, which is what the scenarios check.

  Background:
    Given the resources the example "deviceEnrollmentConfiguration/get" addresses exist

  @req:DEC-GET-001 @must
  Scenario: The documented example request reads the device enrollment configuration
    The service MUST answer the documented example request with 200 OK and an application/json body that is the device enrollment configuration itself: valid against the schema, under the path's id, and showing every property of the example response with the values it was created with.

    When the client sends the example request "deviceEnrollmentConfiguration/get"
    Then the response status is 200
    And the response media type is "application/json"
    And the response body validates against the "deviceEnrollmentConfiguration" schema
    And the response body "/id" is the id the request addressed
    And the response body matches the example entity of "deviceEnrollmentConfiguration/get" with the scenario's displayName and @odata.type

  @req:DEC-GET-010 @must
  Scenario: A request without an Authorization header is rejected
    The service MUST answer a request without an Authorization header with 401 Unauthorized and a Graph error body.

    Given the request has no Authorization header
    When the client sends the example request "deviceEnrollmentConfiguration/get"
    Then the response is not a server error
    And the response status is 401
    And the response body is a Graph error

  @req:DEC-GET-011 @must
  Scenario: A request with an invalid token is rejected
    The service MUST answer a request whose bearer token is not valid with 401 Unauthorized and a Graph error body.

    Given the request carries an invalid bearer token
    When the client sends the example request "deviceEnrollmentConfiguration/get"
    Then the response is not a server error
    And the response status is 401
    And the response body is a Graph error

  @req:DEC-GET-012 @must
  Scenario: An unknown configuration id answers 404
    The service MUST answer a GET under a configuration id that does not exist with 404 Not Found and a Graph error body.

    Given the request addresses an unknown configuration
    When the client sends the example request "deviceEnrollmentConfiguration/get"
    Then the response is not a server error
    And the response status is 404
    And the response body is a Graph error
