@op:enrollmentConfigurationAssignment.delete
Feature: Delete enrollmentConfigurationAssignment: permissions
  Written by hand.

  Background:
    Given the resources the example "enrollmentConfigurationAssignment/delete" addresses exist

  @req:ECA-DELETE-102 @should @needs:read-token
  Scenario: A read-only token cannot delete
    The service SHOULD answer a DELETE of an assignment made with a token granting only read scopes with 403 Forbidden and a Graph error body, and delete nothing.

    Given the request carries the read-only token
    When the client deletes the assignment
    Then the response is not a server error
    And the response status is 403
    And the response body is a Graph error
    And a GET of the same URL answers 200
