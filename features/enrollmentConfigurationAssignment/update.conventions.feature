@op:enrollmentConfigurationAssignment.update
Feature: Update enrollmentConfigurationAssignment: errors and Graph conventions
  What the update operation must do with requests it cannot honour (from the doc page and Graph's error
  responses), and what it should do by Graph's general conventions. Written by hand: `graphconform gen`
  regenerates update.feature only.

  Background:
    Given the resources the example "enrollmentConfigurationAssignment/update" addresses exist

  @req:ECA-UPDATE-010 @must
  Scenario: A request without an Authorization header is rejected
    The service MUST answer a request without an Authorization header with 401 Unauthorized and a Graph error body.

    Given the request has no Authorization header
    When the client sends the example request "enrollmentConfigurationAssignment/update"
    Then the response is not a server error
    And the response status is 401
    And the response body is a Graph error
    And the assignment still has its original target

  @req:ECA-UPDATE-011 @must
  Scenario: A request with an invalid token is rejected
    The service MUST answer a request whose bearer token is not valid with 401 Unauthorized and a Graph error body.

    Given the request carries an invalid bearer token
    When the client sends the example request "enrollmentConfigurationAssignment/update"
    Then the response is not a server error
    And the response status is 401
    And the response body is a Graph error
    And the assignment still has its original target

  @req:ECA-UPDATE-012 @must
  Scenario: An unknown configuration id answers 404
    The service MUST answer a PATCH under a configuration id that does not exist with 404 Not Found and a Graph error body.

    Given the request addresses an unknown configuration
    When the client sends the example request "enrollmentConfigurationAssignment/update"
    Then the response is not a server error
    And the response status is 404
    And the response body is a Graph error

  @req:ECA-UPDATE-013 @must
  Scenario: An unknown assignment id answers 404 and creates nothing
    The service MUST answer a PATCH of an assignment id that does not exist with 404 Not Found and a Graph error body, and MUST NOT create it (no upsert).

    Given the request addresses an unknown assignment
    When the client sends the example request "enrollmentConfigurationAssignment/update"
    Then the response is not a server error
    And the response status is 404
    And the response body is a Graph error
    And a GET of the same URL answers 404

  @req:ECA-UPDATE-014 @must
  Scenario: Malformed JSON is rejected
    The service MUST answer a body that is not well-formed JSON with 400 Bad Request and a Graph error body, and leave the assignment unchanged.

    When the client sends PATCH to the assignment with body:
      """
      {"target": {"@odata.type": "#microsoft.graph.allDevicesAssignmentTarget"
      """
    Then the response is not a server error
    And the response status is 400
    And the response body is a Graph error
    And the assignment still has its original target

  @req:ECA-UPDATE-015 @must
  Scenario: An unknown target type is rejected
    The service MUST answer a target whose @odata.type is not a deviceAndAppManagementAssignmentTarget type with 400 Bad Request and a Graph error body, and leave the assignment unchanged.

    When the client sends PATCH to the assignment with body:
      """
      {"target": {"@odata.type": "#microsoft.graph.graphconformBogusAssignmentTarget"}}
      """
    Then the response is not a server error
    And the response status is 400
    And the response body is a Graph error
    And the assignment still has its original target

  @req:ECA-UPDATE-016 @must
  Scenario Outline: A property of the wrong JSON type is rejected: <case>
    The service MUST answer a property whose JSON type does not match the metadata with 400 Bad Request and a Graph error body, and leave the assignment unchanged.

    When the client sends PATCH to the assignment with body:
      """
      <body>
      """
    Then the response is not a server error
    And the response status is 400
    And the response body is a Graph error
    And the assignment still has its original target

    Examples:
      | case                 | body                                                                                   |
      | target is a string   | {"target": "allDevicesAssignmentTarget"}                                               |
      | groupId is a number  | {"target": {"@odata.type": "#microsoft.graph.groupAssignmentTarget", "groupId": 42}}   |

  @req:ECA-UPDATE-017 @must
  Scenario Outline: An unknown property is rejected: <case>
    The service MUST answer a body with a property the type does not declare with 400 Bad Request and a Graph error body, and leave the assignment unchanged.

    When the client sends PATCH to the assignment with body:
      """
      <body>
      """
    Then the response is not a server error
    And the response status is 400
    And the response body is a Graph error
    And the assignment still has its original target

    Examples:
      | case                | body                                                                                                      |
      | on the assignment   | {"target": {"@odata.type": "#microsoft.graph.allDevicesAssignmentTarget"}, "graphconformBogus": true}     |
      | on the target       | {"target": {"@odata.type": "#microsoft.graph.allDevicesAssignmentTarget", "graphconformBogus": "x"}}      |

  @req:ECA-UPDATE-101 @should
  Scenario: A GET after the PATCH returns the updated target
    The service SHOULD return the target set by a successful PATCH on a subsequent GET of the assignment.

    When the client sends PATCH to the assignment with body:
      """
      {"target": {"@odata.type": "#microsoft.graph.groupAssignmentTarget", "groupId": "7d3e5b60-0f4c-4e8d-9a1b-2c3d4e5f6071"}}
      """
    Then the response status is a success
    When the client gets the assignment
    Then the response status is 200
    And the response body "/target" contains the target sent

  @req:ECA-UPDATE-102 @should
  Scenario: Every response carries a request-id
    The service SHOULD send a non-empty request-id response header, as Graph does, so a failure can be traced.

    When the client sends the example request "enrollmentConfigurationAssignment/update"
    Then the response header "request-id" is present

  @req:ECA-UPDATE-103 @should
  Scenario: The client-request-id is echoed
    The service SHOULD echo the client-request-id request header unchanged in its response.

    Given the request header "client-request-id" is a new GUID
    When the client sends the example request "enrollmentConfigurationAssignment/update"
    Then the response header "client-request-id" echoes the request

  @req:ECA-UPDATE-104 @should @needs:read-token
  Scenario: A read-only token cannot update
    The service SHOULD answer a PATCH made with a token granting only read scopes with 403 Forbidden and a Graph error body, and leave the assignment unchanged.

    Given the request carries the read-only token
    When the client sends the example request "enrollmentConfigurationAssignment/update"
    Then the response is not a server error
    And the response status is 403
    And the response body is a Graph error
    And the assignment still has its original target

  @req:ECA-UPDATE-105 @should
  Scenario: A body that is not JSON is refused by media type
    The service SHOULD answer a body sent as text/plain with 415 Unsupported Media Type and a Graph error body, and leave the assignment unchanged.

    Given the request Content-Type is "text/plain"
    When the client sends the example request "enrollmentConfigurationAssignment/update"
    Then the response is not a server error
    And the response status is 415
    And the response body is a Graph error
    And the assignment still has its original target

  @req:ECA-UPDATE-106 @should
  Scenario: PUT is not allowed on an assignment
    The service SHOULD answer PUT on an assignment with 405 Method Not Allowed, an Allow header listing PATCH, and a Graph error body.

    When the client sends the example request "enrollmentConfigurationAssignment/update" with method "PUT"
    Then the response is not a server error
    And the response status is 405
    And the response header "Allow" lists "PATCH"
    And the response body is a Graph error
    And the assignment still has its original target
