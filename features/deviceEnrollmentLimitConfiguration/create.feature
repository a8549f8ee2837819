@op:deviceEnrollmentLimitConfiguration.create
Feature: Create deviceEnrollmentLimitConfiguration
  POST /deviceManagement/deviceEnrollmentConfigurations
  creates a device enrollment limit configuration and answers with the created device enrollment limit configuration.
  Drawn from the doc page "Create deviceEnrollmentLimitConfiguration" (fixture deviceEnrollmentLimitConfiguration/create).
  Page quirk, not a requirement: the example response's annotation gives @odata.type "Edm.String", a primitive type; the body is a deviceEnrollmentLimitConfiguration, which is what the scenarios check.

  @req:DELC-CREATE-001 @must
  Scenario: The documented example request creates the device enrollment limit configuration
    The service MUST answer the documented example request with 201 Created and an application/json body that is the created device enrollment limit configuration: valid against the schema, with a new id, and showing every property of the example response.

    When the client sends the example request "deviceEnrollmentLimitConfiguration/create" with a displayName naming the run
    Then the response status is 201
    And the response media type is "application/json"
    And the response body validates against the "deviceEnrollmentConfiguration" schema
    And the response body "/id" is a plausible entity key
    And the response body matches the example entity of "deviceEnrollmentLimitConfiguration/create" with the scenario's displayName and @odata.type

  @req:DELC-CREATE-101 @should
  Scenario: The created device enrollment limit configuration can be read back
    The service SHOULD answer a GET of the created device enrollment limit configuration's URL with 200 OK and the same device enrollment limit configuration.

    When the client sends the example request "deviceEnrollmentLimitConfiguration/create" with a displayName naming the run
    And the client reads the created entity
    Then the response status is 200
    And the response body "/id" is the id the request addressed
    And the response body matches the example entity of "deviceEnrollmentLimitConfiguration/create" with the scenario's displayName and @odata.type

  @req:DELC-CREATE-010 @must
  Scenario: A request without an Authorization header is rejected
    The service MUST answer a request without an Authorization header with 401 Unauthorized and a Graph error body.

    Given the request has no Authorization header
    When the client sends the example request "deviceEnrollmentLimitConfiguration/create" with a displayName naming the run
    Then the response is not a server error
    And the response status is 401
    And the response body is a Graph error

  @req:DELC-CREATE-011 @must
  Scenario: A request with an invalid token is rejected
    The service MUST answer a request whose bearer token is not valid with 401 Unauthorized and a Graph error body.

    Given the request carries an invalid bearer token
    When the client sends the example request "deviceEnrollmentLimitConfiguration/create" with a displayName naming the run
    Then the response is not a server error
    And the response status is 401
    And the response body is a Graph error

  @req:DELC-CREATE-014 @must
  Scenario: Malformed JSON is rejected
    The service MUST answer a body that is not well-formed JSON with 400 Bad Request and a Graph error body.

    When the client sends the example request "deviceEnrollmentLimitConfiguration/create" with body:
      """
      {"graphconform": "a body cut short",
      """
    Then the response is not a server error
    And the response status is 400
    And the response body is a Graph error
