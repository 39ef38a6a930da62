<?xml version="1.0" encoding="UTF-8"?>
<!--
  Tables, most often the printed boxes of a form with typed or handwritten entries. Printed labels
  (@role="label") are header cells, so a screen reader announces them with the entries they label.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    exclude-result-prefixes="tei">

  <!-- TEI lets a table hold graphics instead of rows: without rows there are no cells to hold what stands
       between them, so such a table is a div, its heading first. -->
  <xsl:template match="tei:table">
    <xsl:call-template name="make-block">
      <xsl:with-param name="element">
        <xsl:choose>
          <xsl:when test="tei:row">table</xsl:when>
          <xsl:otherwise>div</xsl:otherwise>
        </xsl:choose>
      </xsl:with-param>
      <xsl:with-param name="class" select="'tei-table'"/>
      <xsl:with-param name="content">
        <xsl:choose>
          <xsl:when test="tei:row">
            <xsl:if test="tei:head">
              <caption><xsl:apply-templates select="tei:head"/></caption>
            </xsl:if>
            <xsl:apply-templates select="tei:row"/>
          </xsl:when>
          <xsl:otherwise>
            <xsl:apply-templates/>
          </xsl:otherwise>
        </xsl:choose>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="tei:row">
    <xsl:call-template name="make-block">
      <xsl:with-param name="element" select="'tr'"/>
      <xsl:with-param name="class">
        <xsl:if test="@role = 'label'">label</xsl:if>
      </xsl:with-param>
      <xsl:with-param name="content">
        <xsl:apply-templates select="tei:cell"/>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <!-- A row of labels heads the columns below it; a label cell in a row of entries labels the entry beside
       it, a relation HTML states by the header cell alone (a scope would claim the whole row or column). -->
  <xsl:template match="tei:cell">
    <xsl:variable name="label" select="@role = 'label' or parent::tei:row/@role = 'label'"/>
    <xsl:call-template name="make-block">
      <xsl:with-param name="element">
        <xsl:choose>
          <xsl:when test="$label">th</xsl:when>
          <xsl:otherwise>td</xsl:otherwise>
        </xsl:choose>
      </xsl:with-param>
      <xsl:with-param name="class">
        <xsl:if test="$label">label</xsl:if>
      </xsl:with-param>
      <xsl:with-param name="attributes">
        <x colspan="{@cols[. != '1']}" rowspan="{@rows[. != '1']}">
          <xsl:if test="parent::tei:row/@role = 'label'">
            <xsl:attribute name="scope">col</xsl:attribute>
          </xsl:if>
        </x>
      </xsl:with-param>
      <xsl:with-param name="content">
        <xsl:if test="not(preceding-sibling::tei:cell)">
          <xsl:for-each select="..">
            <xsl:call-template name="leading-strays">
              <xsl:with-param name="slots" select="' row '"/>
            </xsl:call-template>
          </xsl:for-each>
        </xsl:if>
        <xsl:call-template name="leading-strays">
          <xsl:with-param name="slots" select="' cell '"/>
        </xsl:call-template>
        <xsl:apply-templates/>
        <xsl:call-template name="trailing-strays">
          <xsl:with-param name="slots" select="' cell '"/>
        </xsl:call-template>
        <xsl:if test="not(following-sibling::tei:cell)">
          <xsl:for-each select="..">
            <xsl:call-template name="trailing-strays">
              <xsl:with-param name="slots" select="' row '"/>
            </xsl:call-template>
          </xsl:for-each>
        </xsl:if>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

</xsl:stylesheet>
