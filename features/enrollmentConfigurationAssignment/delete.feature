@op:enrollmentConfigurationAssignment.delete
Feature: Delete enrollmentConfigurationAssignment
  DELETE /deviceManagement/deviceEnrollmentConfigurations/{deviceEnrollmentConfigurationId}/assignments/{enrollmentConfigurationAssignmentId}
  deletes an enrollment configuration assignment.
  Drawn from the doc page "Delete enrollmentConfigurationAssignment" (fixture enrollmentConfigurationAssignment/delete).

  Background:
    Given the resources the example "enrollmentConfigurationAssignment/delete" addresses exist

  @req:ECA-DELETE-001 @must
  Scenario: The documented example request deletes the assignment
    The service MUST answer the documented example request with 204 No Content and no body.

    When the client sends the example request "enrollmentConfigurationAssignment/delete"
    Then the response status is 204
    And the response has no body

  @req:ECA-DELETE-101 @should
  Scenario: A deleted assignment is gone
    The service SHOULD answer a GET of a deleted assignment's URL with 404 Not Found.

    When the client sends the example request "enrollmentConfigurationAssignment/delete"
    Then the response status is 204
    And a GET of the same URL answers 404

  @req:ECA-DELETE-010 @must
  Scenario: A request without an Authorization header is rejected
    The service MUST answer a request without an Authorization header with 401 Unauthorized and a Graph error body.

    Given the request has no Authorization header
    When the client sends the example request "enrollmentConfigurationAssignment/delete"
    Then the response is not a server error
    And the response status is 401
    And the response body is a Graph error

  @req:ECA-DELETE-011 @must
  Scenario: A request with an invalid token is rejected
    The service MUST answer a request whose bearer token is not valid with 401 Unauthorized and a Graph error body.

    Given the request carries an invalid bearer token
    When the client sends the example request "enrollmentConfigurationAssignment/delete"
    Then the response is not a server error
    And the response status is 401
    And the response body is a Graph error

  @req:ECA-DELETE-012 @must
  Scenario: An unknown configuration id answers 404
    The service MUST answer a DELETE under a configuration id that does not exist with 404 Not Found and a Graph error body.

    Given the request addresses an unknown configuration
    When the client sends the example request "enrollmentConfigurationAssignment/delete"
    Then the response is not a server error
    And the response status is 404
    And the response body is a Graph error

  @req:ECA-DELETE-013 @must
  Scenario: An unknown assignment id answers 404
    The service MUST answer a DELETE of an assignment id that does not exist with 404 Not Found and a Graph error body.

    Given the request addresses an unknown assignment
    When the client sends the example request "enrollmentConfigurationAssignment/delete"
    Then the response is not a server error
    And the response status is 404
    And the response body is a Graph error
