@op:enrollmentConfigurationAssignment.update
Feature: Update enrollmentConfigurationAssignment: content negotiation and keys in any case
  How a service must read what HTTP and OData let a client spell more than one way. Written by hand.

  Background:
    Given the resources the example "enrollmentConfigurationAssignment/update" addresses exist

  @req:ECA-UPDATE-019 @must
  Scenario: A JSON body labelled with a UTF-8 charset is accepted
    The service MUST accept a PATCH body sent as "application/json; charset=utf-8" as it accepts "application/json": a parameter does not change the media type (RFC 9110 §8.3.1), and many HTTP clients add it.

    Given the request Content-Type is "application/json; charset=utf-8"
    When the client sends PATCH to the assignment with body:
      """
      {"target": {"@odata.type": "#microsoft.graph.groupAssignmentTarget", "groupId": "0f7b9c2e-5d41-4e6a-9b3c-8a1d2e3f4a5b"}}
      """
    Then the response status is a success
    When the client gets the assignment
    Then the response status is 200
    And the response body "/target" contains the target sent

  @req:ECA-UPDATE-107 @should
  Scenario: A GUID key matches in any case
    The service SHOULD find an assignment whose configuration and assignment ids are spelled in upper case in the path, as Graph matches GUID keys without regard to case.

    When the client gets the assignment by its ids in upper case
    Then the response status is 200
    And the response body "/id" is the assignment's id, in any case

  @req:ECA-UPDATE-108 @should
  Scenario Outline: An OData or wildcard Accept header is honoured: <accept>
    The service SHOULD answer a GET whose Accept header asks for JSON with OData parameters, or for anything, with 200 OK and an application/json body, as it answers Accept: application/json.

    Given the request header "Accept" is "<accept>"
    When the client gets the assignment
    Then the response status is 200
    And the response media type is "application/json"
    And the response body validates against the "enrollmentConfigurationAssignment" schema

    Examples:
      | accept                                                 |
      | application/json;odata.metadata=minimal                |
      | application/json;odata.metadata=minimal;odata.streaming=true |
      | */*                                                    |
